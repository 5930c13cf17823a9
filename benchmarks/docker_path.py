"""Prints, for a generated project of each stack with every service, the seconds from invoking
its test runner to the start of its first test: on the Testcontainers path (no TEST_*_URL:
the suite starts its own containers) beside the URL path (the local services), and the whole
run's seconds on each.

The Docker engine and the stand-in images are the template tests' own (tests/docker/engine.py):
whatever engine answers, else a private dockerd, stopped at the end.

Run: .venv/bin/python benchmarks/docker_path.py  (needs the local services, like `make test`).
"""

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.docker.engine import find_engine, standin_images
from tests.helpers import ENV_VARS, SERVICES, node_modules_for, render, run, snapshot, venv_for

ANSWERS = {"services": ["postgres", "redis", "rabbitmq"], "ci": "github", "auth": True}
# Its own database names and Redis databases (6 and up), so it never meets a test run's.
BENCH_URLS = {
    "TEST_DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/bench_docker_path",
    "TEST_REDIS_URL": "redis://127.0.0.1:6379/6",
    "TEST_AMQP_URL": "amqp://guest:guest@127.0.0.1:5672/%2F",
}
# Writes the time its first test starts to $FIRST_TEST_STAMP; the first writer wins (workers too).
PYTEST_PLUGIN = """
import os, time
import pytest

@pytest.hookimpl(tryfirst=True)
def pytest_runtest_protocol(item, nextitem):
    try:
        fd = os.open(os.environ["FIRST_TEST_STAMP"], os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    except FileExistsError:
        return None
    os.write(fd, repr(time.time()).encode())
    os.close(fd)
    return None
"""
JEST_REPORTER = """
const fs = require("node:fs");
function stamp() {
  try {
    fs.writeFileSync(process.env.FIRST_TEST_STAMP, String(Date.now() / 1000), { flag: "wx" });
  } catch {}
}
module.exports = class FirstTestStamp {
  onTestStart() { stamp(); }
  onTestCaseStart() { stamp(); }
};
"""


def first_test_seconds(command: list[str], cwd: Path, env: dict, stamp: Path) -> tuple[float, float]:
    """(seconds to the first test, seconds of the whole run)."""
    stamp.unlink(missing_ok=True)
    started = time.time()
    run(command, cwd=cwd, env=env | {"FIRST_TEST_STAMP": str(stamp)})
    finished = time.time()
    return float(stamp.read_text()) - started, finished - started


def main() -> None:
    engine = find_engine()
    try:
        images = standin_images(engine)
        base = {k: v for k, v in os.environ.items() if k not in {*ENV_VARS.values(), "NODE_OPTIONS", "DOCKER_CONTEXT"}}
        base.pop("PYTHONDONTWRITEBYTECODE", None)
        paths = {
            "URL path (local services)": base | BENCH_URLS,
            "container path (Testcontainers)": base
            | {SERVICES[key].image_var: image for key, image in images.tags.items()}
            | {"DOCKER_HOST": engine.host, "TESTCONTAINERS_RYUK_DISABLED": "true"},
        }
        with tempfile.TemporaryDirectory() as tmp:
            tmp_path = Path(tmp)
            template = snapshot(tmp_path / "template")
            (tmp_path / "plugins").mkdir()
            (tmp_path / "plugins" / "first_test_stamp.py").write_text(PYTEST_PLUGIN)
            reporter = tmp_path / "plugins" / "first-test-stamp.js"
            reporter.write_text(JEST_REPORTER)
            stamp = tmp_path / "first-test"
            for stack in ("fastapi", "express-ts"):
                project = render(template, tmp_path / stack, lock=True, stack=stack, **ANSWERS)
                if stack == "fastapi":
                    pytest = str(venv_for(project) / "bin" / "pytest")
                    command = [pytest, "-q", "-p", "no:cacheprovider", "-p", "first_test_stamp"]
                    extra = {"PYTHONPATH": str(tmp_path / "plugins")}
                else:
                    node_modules_for(project)
                    jest = str(project / "node_modules" / ".bin" / "jest")
                    command = [jest, "--reporters", "default", "--reporters", str(reporter)]
                    extra = {}
                for label, env in paths.items():
                    first, whole = first_test_seconds(command, project, env | extra, stamp)
                    print(f"{stack}, {label}: first test after {first:.1f} s, whole run {whole:.1f} s")
    finally:
        engine.stop()


if __name__ == "__main__":
    main()
