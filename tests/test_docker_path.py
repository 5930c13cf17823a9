"""Layer 3: the Testcontainers path. Generated suites run with no TEST_*_URL set, so they start
their own containers, on a real Docker engine: FastAPI and Express (TypeScript) with every
service and with a smaller subset, serially and on 2 workers in random order. Each container
starts once per run (counted from the engine's events), and none is left behind after a
passing run or a failing one; a missing image and an engine that does not answer stop the
run within seconds, saying why.

The engine is whatever answers, else a private dockerd (tests/docker/engine.py); the images
are stand-ins built from Debian's packages (tests/docker/<service>/), named through the
generated projects' TEST_<SERVICE>_IMAGE variables. Testcontainers' reaper (Ryuk) is an image
of its own that cannot be pulled everywhere: it is off for these runs, so the suites' own
clean-up is what is tested. Where no engine answers and none can be started here (not Linux,
not root, no dockerd and no apt), the tests skip saying so; where one could be started and
was not, they fail.
"""

import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.docker.engine import Engine, EngineUnavailable, Images, base_image, find_engine, standin_images
from tests.helpers import ENV_VARS, SERVICE_KEYS, SERVICES, combo_id, run, venv_for

pytestmark = [pytest.mark.suite, pytest.mark.docker]

MISSING_IMAGE = "it-template/missing-standin:absent"


def answers(stack: str, services: list[str]) -> dict:
    return {"stack": stack, "services": services, "ci": "github", "auth": True}


# Every service on both stacks, and one smaller subset per stack.
PROJECTS = [
    answers("fastapi", list(SERVICE_KEYS)),
    answers("express-ts", list(SERVICE_KEYS)),
    answers("fastapi", ["postgres", "redis"]),
    answers("express-ts", ["rabbitmq"]),
]
FULL = {stack: answers(stack, list(SERVICE_KEYS)) for stack in ("fastapi", "express-ts")}


@dataclass(frozen=True)
class Outcome:
    returncode: int
    output: str
    seconds: float
    # Images of the containers the run created, one entry per container.
    created: Counter

    @property
    def summary(self) -> str:
        lines = [line for line in self.output.splitlines() if line.startswith("Tests:") or " passed" in line]
        return lines[-1] if lines else self.output[-3000:]

    @property
    def passed(self) -> bool:
        return self.returncode == 0 and " passed" in self.summary and " failed" not in self.summary


def _say(request: pytest.FixtureRequest, line: str) -> None:
    """A line on the terminal now (build and suite times), past pytest's output capture."""
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line(line)


@pytest.fixture(scope="module")
def engine(request) -> Engine:
    try:
        found = find_engine()
    except EngineUnavailable as problem:
        if problem.expected:
            pytest.fail(f"this machine can run a Docker engine, but: {problem}", pytrace=False)
        pytest.skip(f"the Testcontainers path is not tested here: {problem}")
    kind = f"private dockerd ({found.storage_driver}, up in {found.started_in:.1f} s)" if found.private else "running"
    _say(request, f"\n[docker path] engine: {kind} at {found.host}")
    try:
        if found.private:
            found.remove_everything()
        yield found
        if found.private:
            found.remove_everything()
    finally:
        found.stop()


@pytest.fixture(scope="module")
def images(engine, request) -> Images:
    built = standin_images(engine)
    what = f"built {', '.join(built.built)}" if built.built else "all cached"
    _say(request, f"[docker path] stand-in images in {built.seconds:.1f} s ({what})")
    return built


def container_env(engine: Engine, images: Images, **overrides: str) -> dict[str, str]:
    """No service URL: the suite must start its own containers, on this engine, from these images."""
    dropped = {*ENV_VARS.values(), "PYTHONDONTWRITEBYTECODE", "NODE_OPTIONS", "DOCKER_CONTEXT"}
    env = {name: value for name, value in os.environ.items() if name not in dropped}
    env |= {SERVICES[key].image_var: image for key, image in images.tags.items()}
    env |= {"DOCKER_HOST": engine.host, "TESTCONTAINERS_RYUK_DISABLED": "true"}
    return env | overrides


def suite_command(project: Path, stack: str, *, workers: int) -> list[str]:
    """The project's own runner, every test in random order: in one process, or on `workers`."""
    if stack == "fastapi":
        parallel = ["-n", str(workers)] if workers > 1 else []
        return [str(venv_for(project) / "bin" / "pytest"), "-q", "-p", "no:cacheprovider", "-p", "randomly", *parallel]
    jest = str(project / "node_modules" / ".bin" / "jest")
    return [jest, "--randomize", *(["--maxWorkers", str(workers)] if workers > 1 else ["--runInBand"])]


def run_suite(engine: Engine, images: Images, project: Path, stack: str, env: dict, *, workers: int) -> Outcome:
    started = time.time()
    result = run(suite_command(project, stack, workers=workers), cwd=project, env=env, check=False)
    finished = time.time()
    ours = [f"image={image}" for image in {*images.tags.values(), MISSING_IMAGE}]
    events = engine.docker(
        "events",
        *("--since", f"{started - 1:.3f}", "--until", f"{finished + 1:.3f}"),
        *("--filter", "type=container", "--filter", "event=create"),
        *(arg for image in ours for arg in ("--filter", image)),
        "--format",
        "{{.From}}",
    )
    return Outcome(result.returncode, result.stdout + result.stderr, finished - started, Counter(events.stdout.split()))


def assert_nothing_left(engine: Engine, images: Images, *others: str) -> None:
    """No container of the stand-ins or `others` (on a private engine: no container and no volume at all)."""
    left = [cid for image in (*images.tags.values(), *others) for cid in engine.containers(f"ancestor={image}")]
    if engine.private:
        left = engine.containers()
        assert engine.volumes() == [], "volumes left behind"
    assert left == [], engine.docker("ps", "-a").stdout


def expected_containers(images: Images, services: list[str]) -> Counter:
    return Counter({images.tags[key]: 1 for key in services})


# The log line the Express projects wait for, and how often (PostgreSQL's first server is the
# image's temporary one, during initialisation); as in template/node/tests/support/<key>.ts.jinja.
READY_LOGS = {
    "postgres": ("database system is ready to accept connections", 2),
    "redis": ("Ready to accept connections", 1),
    "rabbitmq": ("Server startup complete", 1),
}


@pytest.mark.parametrize("key", SERVICE_KEYS)
def test_each_standin_honours_what_compose_ci_and_testcontainers_use(engine, images, key):
    """Started as compose starts the official image (its environment, command and tmpfs), the
    stand-in passes the health check compose and CI run, logs what the Express projects wait
    for, and keeps its data in the tmpfs."""
    service = SERVICES[key]
    environment = [
        arg for name, value in service.environment("contract_test").items() for arg in ("-e", f"{name}={value}")
    ]
    run_args = ["-d", "-p", f"127.0.0.1::{service.port}", "--tmpfs", service.tmpfs, *environment]
    container = engine.docker("run", *run_args, images.tags[key], *service.command).stdout.strip()
    try:
        deadline = time.monotonic() + service.health_interval * service.health_retries
        while engine.docker("exec", container, *service.health_check, check=False).returncode != 0:
            assert time.monotonic() < deadline, engine.docker("logs", container).stdout
            time.sleep(service.health_interval)
        line, times = READY_LOGS[key]
        while (logs := engine.docker("logs", container)).stdout.count(line) + logs.stderr.count(line) < times:
            assert time.monotonic() < deadline, logs.stdout + logs.stderr
            time.sleep(0.2)
        assert logs.stdout.count(line) + logs.stderr.count(line) == times, logs.stdout + logs.stderr

        mounts = engine.docker("exec", container, "cat", "/proc/mounts").stdout
        assert f" {service.tmpfs} tmpfs " in mounts, mounts
        if key == "postgres":
            psql = ["exec", container, "psql", "-U", "postgres", "-d", "contract_test", "-tAc"]
            assert engine.docker(*psql, "SHOW data_directory").stdout.startswith(f"{service.tmpfs}/")
            assert engine.docker(*psql, "SHOW fsync").stdout.strip() == "off"  # the command's -c arguments
        published = engine.docker("port", container, str(service.port)).stdout
        assert published.startswith("127.0.0.1:"), published
    finally:
        engine.docker("rm", "-f", "-v", container)


@pytest.mark.parametrize("project_answers", PROJECTS, ids=combo_id)
def test_suites_pass_on_their_own_containers_serially_and_on_two_workers(
    engine, images, generated, request, project_answers
):
    stack, services = project_answers["stack"], project_answers["services"]
    project = generated(project_answers)
    env = container_env(engine, images)

    for workers in (1, 2):
        outcome = run_suite(engine, images, project, stack, env, workers=workers)
        _say(request, f"[docker path] {combo_id(project_answers)}, {workers} worker(s): {outcome.seconds:.1f} s")

        assert outcome.passed, outcome.output[-5000:]
        # Once per run, shared by the workers: not once per worker.
        assert outcome.created == expected_containers(images, services), outcome.created
        assert_nothing_left(engine, images)


PLANTED_FAILURES = {
    "fastapi": (
        "tests/integration/test_planted_failure.py",
        "def test_planted_failure() -> None:\n    assert 1 == 2\n",
    ),
    "express-ts": (
        "tests/integration/planted-failure.test.ts",
        'test("planted failure", () => {\n  expect(1).toBe(2);\n});\n',
    ),
}


@pytest.mark.parametrize("stack", ["fastapi", "express-ts"])
@pytest.mark.parametrize("workers", [1, 2])
def test_a_failing_run_leaves_no_container_behind(engine, images, generated, tmp_path, stack, workers):
    project = tmp_path / "project"
    shutil.copytree(generated(FULL[stack]), project, symlinks=True)
    path, test = PLANTED_FAILURES[stack]
    (project / path).write_text(test)

    outcome = run_suite(engine, images, project, stack, container_env(engine, images), workers=workers)

    assert outcome.returncode != 0
    assert "1 failed" in outcome.summary, outcome.output[-5000:]
    assert outcome.created == expected_containers(images, FULL[stack]["services"]), outcome.created
    assert_nothing_left(engine, images)


@pytest.mark.parametrize("stack", ["fastapi", "express-ts"])
def test_a_missing_image_stops_the_run_naming_the_service_image_and_variable(engine, images, generated, stack):
    project = generated(FULL[stack])
    redis = SERVICES["redis"]
    env = container_env(engine, images, **{redis.image_var: MISSING_IMAGE})

    outcome = run_suite(engine, images, project, stack, env, workers=2)

    assert outcome.returncode != 0
    assert outcome.seconds < 30, f"took {outcome.seconds:.1f} s"
    message = outcome.output.split("Test services are not reachable")[-1]
    assert f"- {redis.title}: Testcontainers could not start {MISSING_IMAGE}" in message, outcome.output[-3000:]
    assert f"Set {redis.image_var} to an image" in message
    assert_nothing_left(engine, images)


@pytest.mark.parametrize("stack", ["fastapi", "express-ts"])
def test_a_container_that_cannot_start_is_removed(engine, images, generated, stack):
    """An image without the server (a plain Debian): the container is created, fails to start,
    and the run removes it before it stops."""
    project = generated(FULL[stack])
    redis, wrong = SERVICES["redis"], base_image(engine)
    env = container_env(engine, images, **{redis.image_var: wrong})

    outcome = run_suite(engine, images, project, stack, env, workers=2)

    assert outcome.returncode != 0
    assert f"- {redis.title}: Testcontainers could not start {wrong}" in outcome.output, outcome.output[-3000:]
    assert_nothing_left(engine, images, wrong)


@pytest.fixture
def silent_engine():
    """A socket where an engine would be that accepts connections and never answers."""
    folder = Path(tempfile.mkdtemp(prefix="itd-silent-", dir="/tmp"))  # socket paths are short
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(folder / "docker.sock"))
    server.listen(16)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"unix://{folder / 'docker.sock'}"
    stop.set()
    thread.join(timeout=5)
    for connection in accepted:
        connection.close()
    server.close()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("stack", ["fastapi", "express-ts"])
def test_an_engine_that_does_not_answer_stops_the_run_within_seconds(engine, images, generated, silent_engine, stack):
    project = generated(FULL[stack])
    env = container_env(engine, images, DOCKER_HOST=silent_engine)

    started = time.monotonic()
    result = subprocess.run(
        suite_command(project, stack, workers=2),
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    elapsed = time.monotonic() - started

    assert result.returncode != 0
    assert elapsed < 10, f"took {elapsed:.1f} s"
    output = result.stdout + result.stderr
    assert f"- {SERVICES['redis'].title}: {ENV_VARS['redis']} is not set and Testcontainers cannot run" in output
