"""Layer 2 for Express: generated projects install (node_modules cached per dependency
list), lint clean, typecheck (TypeScript) and pass their own Jest suites against the real
local services, serially and with 2 workers in random order.
"""

import shutil
import time
from pathlib import Path

import pytest

from tests.helpers import (
    CLOSED_PORT_URLS,
    ENV_VARS,
    NODE_STACKS,
    SERVICE_SUBSETS,
    combo_id,
    node_env,
    node_modules_for,
    render,
    run,
)

pytestmark = pytest.mark.suite

COVERING_SET = [
    *(
        {"stack": stack, "services": services, "ci": "github", "auth": True}
        for stack in NODE_STACKS
        for services in SERVICE_SUBSETS
    ),
    {"stack": "express-ts", "services": ["postgres", "redis", "rabbitmq"], "ci": "github", "auth": False},
    {"stack": "express-js", "services": ["redis"], "ci": "gitlab", "auth": False},
    {"stack": "express-ts", "services": ["postgres"], "ci": "none", "auth": True, "node_version": "20"},
]
ALL_SERVICES = {"stack": "express-ts", "services": ["postgres", "redis", "rabbitmq"], "ci": "github", "auth": True}


@pytest.fixture(scope="module")
def generated(template, tmp_path_factory):
    root = tmp_path_factory.mktemp("express-suites")
    cache: dict[str, Path] = {}

    def get(answers: dict) -> Path:
        key = combo_id(answers)
        if key not in cache:
            cache[key] = render(template, root / key, **answers)
            node_modules_for(cache[key])
        return cache[key]

    return get


def _jest_summary(output: str) -> str:
    """Jest's `Tests: ...` line (other lines may say "failed" about open handles)."""
    lines = [line for line in output.splitlines() if line.startswith("Tests:")]
    return lines[-1] if lines else ""


def _npm(project: Path, answers: dict, *args: str, check: bool = True):
    return run(["npm", *args], cwd=project, env=node_env(answers), check=check)


@pytest.mark.parametrize("answers", COVERING_SET, ids=combo_id)
def test_generated_project_lints_and_passes_serially_and_in_parallel(generated, answers):
    project = generated(answers)

    _npm(project, answers, "run", "lint")
    if answers["stack"] == "express-ts":
        _npm(project, answers, "run", "typecheck")
    serial = _npm(project, answers, "test")
    parallel = _npm(project, answers, "test", "--", "--maxWorkers=2", "--randomize")

    for result in (serial, parallel):
        summary = _jest_summary(result.stdout + result.stderr)
        assert " passed" in summary and " failed" not in summary, summary
    assert "Coverage summary" in serial.stdout + serial.stderr


# Bugs a team could write; the generated suite must catch each one.
PLANTED_BUGS = {
    "wrong status code on sign-up": ("src/users/routes.ts", "res.status(201)", "res.status(200)"),
    "flipped rate-limit condition": (
        "src/ratelimit/redis-limiter.ts",
        "if (hits <= this.limit)",
        "if (hits >= this.limit)",
    ),
    "deleted users keep their tokens": (
        "src/auth/middleware.ts",
        "if (!user) {\n      throw unauthorized();",
        "if (!user) {\n      return next();",
    ),
    "redelivery disabled": ("src/events/rabbitmq.ts", "!message.fields.redelivered", "false"),
    "duplicate emails unmapped": ("src/users/sql-repository.ts", "if (isUniqueViolation(error))", "if (!error)"),
}


@pytest.mark.parametrize("bug", list(PLANTED_BUGS))
def test_the_generated_suite_catches_a_planted_bug(generated, tmp_path, bug):
    project = tmp_path / "project"
    shutil.copytree(generated(ALL_SERVICES), project, symlinks=True)
    relative, good, bad = PLANTED_BUGS[bug]
    source = project / relative
    text = source.read_text()
    assert good in text, f"the planted bug no longer matches {relative}"
    source.write_text(text.replace(good, bad))

    result = _npm(project, ALL_SERVICES, "run", "test:integration", check=False)

    output = result.stdout + result.stderr
    assert result.returncode != 0, f"the suite missed: {bug}\n{output[-2000:]}"
    assert " failed" in _jest_summary(output), output[-3000:]


@pytest.mark.parametrize("service", ["postgres", "redis", "rabbitmq"])
def test_an_unreachable_service_fails_fast_with_how_to_start_it(generated, service):
    project = generated(ALL_SERVICES)
    variable, (url, title) = ENV_VARS[service], CLOSED_PORT_URLS[service]
    env = node_env(ALL_SERVICES) | {variable: url}

    started = time.monotonic()
    result = run(["npx", "jest", "--selectProjects", "integration"], cwd=project, env=env, check=False)
    elapsed = time.monotonic() - started

    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert elapsed < 10, f"took {elapsed:.1f} s"
    assert f"- {title}: {variable}={url} did not answer" in output
    assert f"docker compose -f docker-compose.test.yml up -d --wait {service}" in output
