"""Layer 2: generated projects of every stack install, lint clean and pass their own suites
against the real local services, serially (with the coverage threshold) and with 2 workers
in random order; planted bugs fail them; a missing service stops them within seconds.

Each stack has one runner that knows its tools; the tests below are the same for all.
Every project gets its own database name, so runs never collide; dependencies are
installed once per dependency list and cached (see tests/helpers.py).
"""

import os
import re
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.helpers import (
    ENV_VARS,
    NODE_STACKS,
    PAIRWISE_SERVICE_SETS,
    SERVICE_KEYS,
    SERVICES,
    STACKS,
    closed_port_url,
    combo_id,
    node_env,
    project_env,
    render,
    run,
    venv_for,
)

pytestmark = pytest.mark.suite


@dataclass(frozen=True)
class Outcome:
    passed: bool
    output: str


@dataclass(frozen=True)
class PlantedBug:
    """A bug a team could write: `good` replaced by `bad` in `path`; `tests` must catch it."""

    path: str
    good: str
    bad: str
    tests: str = "tests/integration"


@dataclass
class PythonRunner:
    """FastAPI projects: a cached virtualenv, the project's Makefile and pytest."""

    planted_bugs: dict[str, PlantedBug] = field(default_factory=dict)

    def env(self, answers: dict) -> dict[str, str]:
        return project_env(answers, answers["services"])

    def lint(self, project: Path, answers: dict) -> None:
        self._make(project, answers, "lint")

    def full_run(self, project: Path, answers: dict) -> Outcome:
        """`make test`: every test, serially, with the coverage threshold."""
        result = self._make(project, answers, "test")
        passed = " passed" in result.stdout and " failed" not in result.stdout
        return Outcome(passed and "Required test coverage" in result.stdout, result.stdout)

    def parallel_run(self, project: Path, answers: dict) -> Outcome:
        result = self.tests(project, self.env(answers), "-n", "2", "-p", "randomly")
        return Outcome(result.returncode == 0 and " passed" in result.stdout, result.stdout[-3000:])

    def tests(self, project: Path, env: dict, *args: str):
        """The project's own pytest, as its team runs it; the caller checks the outcome."""
        command = [str(venv_for(project) / "bin" / "pytest"), "-q", "-p", "no:cacheprovider", *args]
        return run(command, cwd=project, env=env, check=False)

    def failed_tests(self, project: Path, env: dict, path: str) -> Outcome:
        result = self.tests(project, env, "-x", path)  # one failure is the answer
        return Outcome(result.returncode != 0 and " failed" in result.stdout, result.stdout[-2000:])

    def _make(self, project: Path, answers: dict, target: str):
        command = ["make", "-C", str(project), target, f"VENV={venv_for(project)}", "PYTEST_ARGS=-p no:cacheprovider"]
        return run(command, env=self.env(answers))


@dataclass
class NodeRunner:
    """Express projects: cached node_modules, npm scripts and Jest."""

    stack: str
    planted_bugs: dict[str, PlantedBug] = field(default_factory=dict)

    def env(self, answers: dict) -> dict[str, str]:
        return node_env(answers)

    def lint(self, project: Path, answers: dict) -> None:
        self._npm(project, answers, "run", "lint")
        if STACKS[self.stack][1] == "ts":
            self._npm(project, answers, "run", "typecheck")

    def full_run(self, project: Path, answers: dict) -> Outcome:
        result = self._npm(project, answers, "test")
        output = result.stdout + result.stderr
        return Outcome(_jest_passed(output) and "Coverage summary" in output, _jest_summary(output))

    def parallel_run(self, project: Path, answers: dict) -> Outcome:
        result = self._npm(project, answers, "test", "--", "--maxWorkers=2", "--randomize")
        output = result.stdout + result.stderr
        return Outcome(_jest_passed(output), _jest_summary(output))

    def tests(self, project: Path, env: dict, *args: str):
        return run(["npx", "jest", "--selectProjects", "integration", *args], cwd=project, env=env, check=False)

    def failed_tests(self, project: Path, env: dict, path: str) -> Outcome:
        result = self.tests(project, env, "--bail", path)  # one failing file is the answer
        output = result.stdout + result.stderr
        return Outcome(result.returncode != 0 and " failed" in _jest_summary(output), output[-3000:])

    def _npm(self, project: Path, answers: dict, *args: str):
        return run(["npm", *args], cwd=project, env=self.env(answers))


def _jest_summary(output: str) -> str:
    """Jest's `Tests: ...` line (other lines may say "failed" about open handles)."""
    lines = [line for line in output.splitlines() if line.startswith("Tests:")]
    return lines[-1] if lines else output[-3000:]


def _jest_passed(output: str) -> bool:
    summary = _jest_summary(output)
    return summary.startswith("Tests:") and " passed" in summary and " failed" not in summary


RUNNERS = {
    "fastapi": PythonRunner(
        planted_bugs={
            "wrong status code on sign-up": PlantedBug(
                "demo_service/api/users.py",
                "status_code=status.HTTP_201_CREATED, response_model=UserOut",
                "status_code=status.HTTP_200_OK, response_model=UserOut",
                "tests/integration/api",
            ),
            "dropped commit": PlantedBug(
                "demo_service/repositories/sql.py",
                "        self.session.add(user)\n        try:\n            self.session.commit()",
                "        self.session.add(user)\n        try:\n            self.session.flush()",
            ),
            "flipped rate-limit condition": PlantedBug(
                "demo_service/ratelimit/redis_limiter.py",
                "if hits <= self.limit:",
                "if hits >= self.limit:",
                "tests/integration/api",
            ),
            "rate-limit window extended by every hit": PlantedBug(
                "demo_service/ratelimit/redis_limiter.py",
                "pipe.expire(counter, self.window_seconds, nx=True)",
                "pipe.expire(counter, self.window_seconds)",
                "tests/integration/cache",
            ),
            "token check skipped": PlantedBug(
                "demo_service/api/deps.py",
                "    if credentials is None:\n        raise unauthorized",
                "    if credentials is None:\n        return users.list(offset=0, limit=1)[0]",
                "tests/integration/api",
            ),
            "redelivery disabled": PlantedBug(
                "demo_service/events/rabbitmq.py",
                "requeue=not method.redelivered",
                "requeue=False",
                "tests/integration/queue",
            ),
            "stream entries never acknowledged": PlantedBug(
                "demo_service/events/redis_stream.py",
                "            self.client.xack(self.key, self.group, entry_id)\n",
                "",
                "tests/integration/cache",
            ),
            "stream claims ignore the idle time": PlantedBug(
                "demo_service/events/redis_stream.py",
                "min_idle_time=self.min_idle_ms",
                "min_idle_time=0",
                "tests/integration/cache",
            ),
            "queue without its dead-letter exchange": PlantedBug(
                "demo_service/events/rabbitmq.py",
                "        dead_letter_exchange=dead_letter_exchange,\n        dead_letter_routing_key",
                "        dead_letter_exchange=None,\n        dead_letter_routing_key",
                "tests/integration/queue",
            ),
            "unbounded id": PlantedBug(
                "demo_service/api/deps.py", "Path(ge=1, le=MAX_INT,", "Path(ge=1,", "tests/integration/api"
            ),
            "unmapped upstream status": PlantedBug(
                "demo_service/clients/profiles.py",
                "        if status != 200:\n",
                "        response.raise_for_status()\n        if status != 200:\n",
                "tests/integration/external",
            ),
            "profile requested at a path outside the contract": PlantedBug(
                "demo_service/clients/profiles.py",
                'self._http.get(f"/v1/profiles/{',
                'self._http.get(f"/v1/profile/{',
                "tests/integration/external/test_profile_api_pact.py",
            ),
            "profile field parsed under the wrong name": PlantedBug(
                "demo_service/clients/profiles.py",
                "    avatar_url: str | None = None",
                "    avatar: str | None = None",
                "tests/integration/external/test_profile_api_recorded.py",
            ),
            "missing ownership check": PlantedBug(
                "demo_service/api/users.py",
                '"/{user_id}",\n    status_code=status.HTTP_204_NO_CONTENT,\n    dependencies=owner_only,',
                '"/{user_id}",\n    status_code=status.HTTP_204_NO_CONTENT,\n    dependencies=signed_in,',
                "tests/integration/api",
            ),
            "renamed response field": PlantedBug(
                "demo_service/schemas.py",
                "    email: EmailStr\n    full_name: str\n",
                '    email: EmailStr = Field(serialization_alias="mail")\n    full_name: str\n',
                "tests/integration/api",
            ),
            "email lookup that no index serves": PlantedBug(
                "demo_service/repositories/sql.py",
                "select(User).where(User.email == email)",
                "select(User).where(func.lower(User.email) == func.lower(email))",
                "tests/integration/database/test_query_plans.py",
            ),
            "validation errors echo the input": PlantedBug(
                "demo_service/main.py",
                ", exception_handlers={RequestValidationError: invalid_request}",
                "",
                "tests/integration/fuzz",
            ),
            "webhook signature compared with itself": PlantedBug(
                "demo_service/webhooks/signatures.py",
                "hmac.compare_digest(expected.encode(), signature.encode())",
                "hmac.compare_digest(expected.encode(), expected.encode())",
                "tests/integration/api",
            ),
            "webhook replay stored without NX": PlantedBug(
                "demo_service/webhooks/redis_deliveries.py", "1, nx=True, ex=", "1, ex=", "tests/integration"
            ),
            "webhook replay's ON CONFLICT DO NOTHING taken as success": PlantedBug(
                "demo_service/webhooks/sql_deliveries.py",
                "return inserted is not None",
                "return True",
                "tests/integration/database",
            ),
        }
    ),
    **{stack: NodeRunner(stack) for stack in NODE_STACKS},
}
RUNNERS["express-ts"].planted_bugs.update(
    {
        "webhook signature compared with itself": PlantedBug(
            "src/webhooks/signatures.ts",
            "timingSafeEqual(Buffer.from(expected), Buffer.from(signature))",
            "timingSafeEqual(Buffer.from(expected), Buffer.from(expected))",
            "tests/integration/api",
        ),
        "webhook replay stored without NX": PlantedBug(
            "src/webhooks/redis-deliveries.ts",
            '"EX", this.ttlSeconds, "NX")',
            '"EX", this.ttlSeconds)',
            "tests/integration",
        ),
        "wrong status code on sign-up": PlantedBug(
            "src/users/routes.ts", "res.status(201)", "res.status(200)", "tests/integration/api"
        ),
        "renamed response field": PlantedBug(
            "src/users/schemas.ts",
            "{ id: user.id, email: user.email,",
            "{ id: user.id, mail: user.email,",
            "tests/integration/api",
        ),
        "email lookup that no index serves": PlantedBug(
            "src/users/sql-repository.ts",
            "FROM users WHERE email = $1",
            "FROM users WHERE lower(email) = lower($1)",
            "tests/integration/database/query-plans",
        ),
        "flipped rate-limit condition": PlantedBug(
            "src/ratelimit/redis-limiter.ts", "if (hits <= this.limit)", "if (hits >= this.limit)"
        ),
        "deleted users keep their tokens": PlantedBug(
            "src/auth/middleware.ts",
            "if (!user) {\n      throw unauthorized();",
            "if (!user) {\n      return next();",
            "tests/integration/api",
        ),
        "redelivery disabled": PlantedBug(
            "src/events/rabbitmq.ts", "!message.fields.redelivered", "false", "tests/integration/queue"
        ),
        "rate-limit window extended by every hit": PlantedBug(
            "src/ratelimit/redis-limiter.ts",
            'expire(counter, this.windowSeconds, "NX")',
            "expire(counter, this.windowSeconds)",
            "tests/integration/cache",
        ),
        "stream entries never acknowledged": PlantedBug(
            "src/events/redis-stream.ts",
            "      await this.stream.client.xack(this.stream.key, this.group, id);\n",
            "",
            "tests/integration/cache",
        ),
        "stream claims ignore the idle time": PlantedBug(
            "src/events/redis-stream.ts",
            "this.consumer, this.minIdleMs,",
            "this.consumer, 0,",
            "tests/integration/cache",
        ),
        "queue without its dead-letter exchange": PlantedBug(
            "src/events/rabbitmq.ts",
            "queueOptions({ exclusive, expiresMs, deadLetterExchange, deadLetterRoutingKey })",
            "queueOptions({ exclusive, expiresMs })",
            "tests/integration/queue",
        ),
        "unit of work without BEGIN": PlantedBug(
            "src/db.ts", '        await client.query("BEGIN");\n', "", "tests/integration/database"
        ),
        "duplicate emails unmapped": PlantedBug(
            "src/users/sql-repository.ts", "if (isUniqueViolation(error))", "if (!error)"
        ),
        "profile requested at a path outside the contract": PlantedBug(
            "src/clients/profiles.ts",
            "/v1/profiles/${id}",
            "/v1/profile/${id}",
            "tests/integration/external/profile-api.pact.test.ts",
        ),
        "profile avatar parsed from the wrong field": PlantedBug(
            "src/clients/profiles.ts",
            "avatarUrl: found.data.avatar_url ?? null",
            "avatarUrl: found.data.display_name ?? null",
            "tests/integration/external/profile-api.recorded.test.ts",
        ),
        "unbounded id": PlantedBug(
            "src/users/schemas.ts",
            "  .max(MAX_INTEGER, { error: `User ids are at most ${MAX_INTEGER}`, abort: true })\n",
            "",
        ),
        "unmapped upstream status": PlantedBug(
            "src/clients/profiles.ts",
            'return new ProfileServiceError(502, "Profile service rejected the request");',
            "throw new Error(`profile API answered ${response.status}`);",
        ),
        "missing ownership check": PlantedBug(
            "src/auth/middleware.ts",
            "if (id !== (res.locals.user as User).id) {",
            "if (false) {",
            "tests/integration/api",
        ),
    }
)

# Every stack with service sets that put each pair of services together, apart and each
# without the other (a pairwise covering of the subsets: tests/test_render.py renders, lints and
# type-checks all of them), plus the other answers that change the suite.
COVERING_SET = [
    *(
        {"stack": stack, "services": services, "ci": "github", "auth": True}
        for stack in RUNNERS
        for services in PAIRWISE_SERVICE_SETS
    ),
    {"stack": "fastapi", "services": list(SERVICE_KEYS), "ci": "github", "auth": False},
    # A package named after `tests` in the alphabet: import sorting must not depend on it.
    {"stack": "fastapi", "services": ["redis"], "ci": "gitlab", "auth": False, "project_name": "Web API"},
    {"stack": "fastapi", "services": ["postgres"], "ci": "none", "auth": True, "python_version": "3.11"},
    {"stack": "express-ts", "services": list(SERVICE_KEYS), "ci": "github", "auth": False},
    {"stack": "express-js", "services": ["redis"], "ci": "gitlab", "auth": False},
    {"stack": "express-ts", "services": ["postgres"], "ci": "none", "auth": True, "node_version": "22"},
    {"stack": "express-ts", "services": ["rabbitmq"], "ci": "gitlab", "auth": False},
]
# How many times in a row each covering-set project's suite runs, serially and on 2 workers.
SUITE_ROUNDS = int(os.environ.get("TEMPLATE_SUITE_ROUNDS", "1"))
# The stacks whose planted bugs are tried, each on its project with every service.
BUG_STACKS = [stack for stack, runner in RUNNERS.items() if runner.planted_bugs]


def all_services(stack: str) -> dict:
    return {"stack": stack, "services": list(SERVICE_KEYS), "ci": "github", "auth": True}


@pytest.mark.parametrize("answers", COVERING_SET, ids=combo_id)
def test_generated_project_lints_and_passes_serially_and_in_parallel(generated, answers):
    runner = RUNNERS[answers["stack"]]
    project = generated(answers)

    # Linting and the serial run touch different files and use one core each: side by side.
    with ThreadPoolExecutor(max_workers=1) as pool:
        lint = pool.submit(runner.lint, project, answers)
        serial = runner.full_run(project, answers)
        lint.result()
    parallel = runner.parallel_run(project, answers)

    assert serial.passed, serial.output
    assert parallel.passed, parallel.output
    # `make soak`: more rounds in a row, each in a new random order, to bring flaky tests out.
    for round_ in range(2, SUITE_ROUNDS + 1):
        serial = runner.full_run(project, answers)
        assert serial.passed, f"serial run, round {round_} of {SUITE_ROUNDS}:\n{serial.output}"
        parallel = runner.parallel_run(project, answers)
        assert parallel.passed, f"2 workers, round {round_} of {SUITE_ROUNDS}:\n{parallel.output}"


@pytest.mark.parametrize(
    ("stack", "bug"), [(stack, bug) for stack in BUG_STACKS for bug in RUNNERS[stack].planted_bugs]
)
def test_the_generated_suite_catches_a_planted_bug(generated, tmp_path, stack, bug):
    runner, answers = RUNNERS[stack], all_services(stack)
    project = tmp_path / "project"
    shutil.copytree(generated(answers), project, symlinks=True)
    planted = runner.planted_bugs[bug]
    source = project / planted.path
    text = source.read_text()
    assert planted.good in text, f"the planted bug no longer matches {planted.path}"
    source.write_text(text.replace(planted.good, planted.bad))

    outcome = runner.failed_tests(project, runner.env(answers), planted.tests)

    assert outcome.passed, f"the suite missed: {bug}\n{outcome.output}"


def _fails_within_seconds(runner, project: Path, env: dict, seconds: float) -> str:
    started = time.monotonic()
    result = runner.tests(project, env)
    elapsed = time.monotonic() - started
    assert result.returncode != 0
    assert elapsed < seconds, f"took {elapsed:.1f} s"
    return result.stdout + result.stderr


@pytest.mark.parametrize("stack", ["fastapi", "express-ts"])
@pytest.mark.parametrize("service", SERVICE_KEYS)
def test_an_unreachable_service_fails_fast_with_how_to_start_it(generated, stack, service):
    runner, answers = RUNNERS[stack], all_services(stack)
    project = generated(answers)
    variable, url = ENV_VARS[service], closed_port_url(service)
    env = runner.env(answers) | {variable: url}

    output = _fails_within_seconds(runner, project, env, 10)
    assert f"- {SERVICES[service].title}: {variable}={url} did not answer" in output
    assert SERVICES[service].start_command in output


@pytest.mark.parametrize("stack", ["fastapi", "express-ts"])
def test_without_a_url_or_docker_the_run_stops_at_once_and_says_what_to_do(generated, stack):
    runner, answers = RUNNERS[stack], all_services(stack)
    project = generated(answers)
    env = {k: v for k, v in runner.env(answers).items() if k != "TEST_REDIS_URL"}
    env["DOCKER_HOST"] = "unix:///nonexistent/docker.sock"  # no engine, even where one runs

    output = _fails_within_seconds(runner, project, env, 10)
    assert "- Redis: TEST_REDIS_URL is not set and Testcontainers cannot run: no Docker engine" in output
    assert "PostgreSQL" not in output.split("Test services are not reachable")[-1]


def test_npm_test_on_one_file_is_judged_by_its_tests_and_a_full_run_by_the_threshold(generated, tmp_path):
    """`npm test -- <file>`, the command a team runs all day, reaches part of the code: it passes
    on its tests even with a threshold no part could meet, which the full `npm test` still fails."""
    answers = all_services("express-ts")
    project = tmp_path / "project"
    shutil.copytree(generated(answers), project, symlinks=True)
    config = project / "jest.config.js"
    config.write_text(re.sub(r"\blines: \d+", "lines: 100", config.read_text(), count=1))
    env = node_env(answers)

    one_file = run(["npm", "test", "--", "tests/integration/api/users-api.test.ts"], cwd=project, env=env, check=False)
    full = run(["npm", "test"], cwd=project, env=env, check=False)

    assert one_file.returncode == 0 and _jest_passed(one_file.stderr), one_file.stdout + one_file.stderr
    assert full.returncode != 0 and _jest_passed(full.stderr), _jest_summary(full.stderr)
    assert 'does not meet "global" threshold (100%)' in full.stdout + full.stderr


def test_an_express_project_installs_from_its_lockfile_and_again_offline(template, tmp_path):
    """The copy writes package-lock.json; `make install` (the README's command) runs `npm ci` from
    it into an empty npm cache; a second `npm ci --offline` needs nothing from the registry."""
    project = render(template, tmp_path / "project", tasks=True, **all_services("express-ts"))
    lockfile = project / "package-lock.json"
    assert lockfile.exists(), "the copy task wrote no package-lock.json"
    written = lockfile.read_bytes()
    env = node_env(all_services("express-ts")) | {"npm_config_cache": str(tmp_path / "npm-cache")}

    first = run(["make", "-C", str(project), "install"], env=env)
    assert "npm ci " in first.stdout, first.stdout
    run(["npm", "ci", "--offline", "--no-audit", "--no-fund"], cwd=project, env=env)

    assert lockfile.read_bytes() == written
    assert (project / "node_modules/.bin/jest").exists()
