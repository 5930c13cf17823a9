"""Layer 2: generated projects install, lint clean and pass their own suites against the
real local services, serially (`make test`) and with 2 workers in random order.

Each project gets its own database name, so runs never collide; dependencies are
installed once per dependency list and cached (see tests/helpers.py).
"""

import shutil
import time
from pathlib import Path

import pytest

from tests.helpers import CLOSED_PORT_URLS, ENV_VARS, SERVICE_SUBSETS, combo_id, project_env, render, run, venv_for

pytestmark = pytest.mark.suite

COVERING_SET = [
    *({"services": services, "ci": "github", "auth": True} for services in SERVICE_SUBSETS),
    {"services": ["postgres", "redis", "rabbitmq"], "ci": "github", "auth": False},
    {"services": ["redis"], "ci": "gitlab", "auth": False},
    {"services": ["postgres"], "ci": "none", "auth": True, "python_version": "3.11"},
]
ALL_SERVICES = {"services": ["postgres", "redis", "rabbitmq"], "ci": "github", "auth": True}


@pytest.fixture(scope="module")
def generated(template, tmp_path_factory):
    """Render on first use, once per combination."""
    root = tmp_path_factory.mktemp("suites")
    cache: dict[str, Path] = {}

    def get(answers: dict) -> Path:
        key = combo_id(answers)
        if key not in cache:
            cache[key] = render(template, root / key, **answers)
        return cache[key]

    return get


def _make(project: Path, answers: dict, target: str):
    venv = venv_for(project)
    env = project_env(answers, answers["services"])
    command = ["make", "-C", str(project), target, f"VENV={venv}", "PYTEST_ARGS=-p no:cacheprovider"]
    return run(command, env=env)


def _pytest(project: Path, env: dict, *args: str):
    """The project's own pytest, as its team runs it; the caller checks the outcome."""
    command = [str(venv_for(project) / "bin" / "pytest"), "-q", "-p", "no:cacheprovider", *args]
    return run(command, cwd=project, env=env, check=False)


def _fails_within_seconds(project: Path, env: dict, seconds: float) -> str:
    started = time.monotonic()
    result = _pytest(project, env)
    elapsed = time.monotonic() - started
    assert result.returncode != 0
    assert elapsed < seconds, f"took {elapsed:.1f} s"
    return result.stdout + result.stderr


@pytest.mark.parametrize("answers", COVERING_SET, ids=combo_id)
def test_generated_project_lints_and_passes_serially_and_in_parallel(generated, answers):
    project = generated(answers)

    _make(project, answers, "lint")
    serial = _make(project, answers, "test")
    parallel = _pytest(project, project_env(answers, answers["services"]), "-n", "2", "-p", "randomly")

    assert " passed" in serial.stdout and " failed" not in serial.stdout
    assert "Required test coverage" in serial.stdout
    assert parallel.returncode == 0, parallel.stdout[-3000:]
    assert " passed" in parallel.stdout


# Bugs a team could write; the generated suite must catch each one.
PLANTED_BUGS = {
    "wrong status code on sign-up": (
        "{pkg}/api/users.py",
        "status_code=status.HTTP_201_CREATED, response_model=UserOut",
        "status_code=status.HTTP_200_OK, response_model=UserOut",
        "tests/integration/api",
    ),
    "dropped commit": (
        "{pkg}/repositories/sql.py",
        "        self.session.add(user)\n        try:\n            self.session.commit()",
        "        self.session.add(user)\n        try:\n            self.session.flush()",
        "tests/integration",
    ),
    "flipped rate-limit condition": (
        "{pkg}/ratelimit/redis_limiter.py",
        "if hits <= self.limit:",
        "if hits >= self.limit:",
        "tests/integration/api",
    ),
    "token check skipped": (
        "{pkg}/api/deps.py",
        "    if credentials is None:\n        raise unauthorized",
        "    if credentials is None:\n        return users.list(offset=0, limit=1)[0]",
        "tests/integration/api",
    ),
    "redelivery disabled": (
        "{pkg}/events/rabbitmq.py",
        "requeue=not method.redelivered",
        "requeue=False",
        "tests/integration/queue",
    ),
}


@pytest.mark.parametrize("bug", list(PLANTED_BUGS))
def test_the_generated_suite_catches_a_planted_bug(generated, tmp_path, bug):
    project = shutil.copytree(generated(ALL_SERVICES), tmp_path / "project")
    relative, good, bad, tests = PLANTED_BUGS[bug]
    source = project / relative.format(pkg="demo_service")
    text = source.read_text()
    assert good in text, f"the planted bug no longer matches {relative}"
    source.write_text(text.replace(good, bad))

    result = _pytest(project, project_env(ALL_SERVICES, ALL_SERVICES["services"]), tests)

    assert result.returncode != 0, f"the suite missed: {bug}\n{result.stdout[-2000:]}"
    assert " failed" in result.stdout


@pytest.mark.parametrize("service", ["postgres", "redis", "rabbitmq"])
def test_an_unreachable_service_fails_fast_with_how_to_start_it(generated, service):
    project = generated(ALL_SERVICES)
    variable, (url, title) = ENV_VARS[service], CLOSED_PORT_URLS[service]
    env = project_env(ALL_SERVICES, ALL_SERVICES["services"]) | {variable: url}

    output = _fails_within_seconds(project, env, 10)
    assert f"- {title}: {variable}={url} did not answer" in output
    assert f"docker compose -f docker-compose.test.yml up -d --wait {service}" in output


def test_without_a_url_or_docker_the_run_stops_at_once_and_says_what_to_do(generated):
    project = generated(ALL_SERVICES)
    env = project_env(ALL_SERVICES, ["postgres", "rabbitmq"])  # TEST_REDIS_URL unset
    env["DOCKER_HOST"] = "unix:///nonexistent/docker.sock"  # no engine, even where one runs

    output = _fails_within_seconds(project, env, 10)
    assert "- Redis: TEST_REDIS_URL is not set and Testcontainers cannot run: no Docker engine answered" in output
    assert "PostgreSQL" not in output.split("Test services are not reachable")[-1]
