"""Prints, for a generated project of each stack with every service, the seconds from invoking
its test runner to the start of its first test: on the Testcontainers path (no TEST_*_URL:
the suite starts its own containers) beside the URL path (the local services), and the whole
run's seconds on each.

The Docker engine and the stand-in images are the template tests' own (tests/docker/engine.py):
whatever engine answers, else a private dockerd, stopped at the end.

Run: .venv/bin/python benchmarks/docker_path.py  (needs the local services, like `make test`).
"""

import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import probes
from tests.docker.engine import find_engine, standin_images
from tests.helpers import ENV_VARS, EVERY_SERVICE, SERVICES, node_modules_for, render, run, snapshot, venv_for

ANSWERS = EVERY_SERVICE
# Its own database names and Redis databases (6 and up), so it never meets a test run's.
BENCH_URLS = {
    "TEST_DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/bench_docker_path",
    "TEST_REDIS_URL": "redis://127.0.0.1:6379/6",
    "TEST_AMQP_URL": "amqp://guest:guest@127.0.0.1:5672/%2F",
}


def first_test_seconds(command: list[str], cwd: Path, env: dict, probe_out: Path) -> tuple[float, float]:
    """(seconds to the first test, seconds of the whole run), from the probe's first line."""
    probe_out.unlink(missing_ok=True)
    started = time.time()
    run(command, cwd=cwd, env=env | {"BENCH_PROBE_OUT": str(probe_out)})
    finished = time.time()
    first = min(json.loads(line)["first_test"] for line in probe_out.read_text().splitlines() if "first_test" in line)
    return first - started, finished - started


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
            plugins = probes.install(tmp_path / "plugins")
            probe_out = tmp_path / "probe.jsonl"
            for stack in ("fastapi", "express-ts"):
                project = render(template, tmp_path / stack, lock=True, stack=stack, **ANSWERS)
                if stack == "fastapi":
                    pytest = str(venv_for(project) / "bin" / "pytest")
                    command = [pytest, "-q", "-p", "no:cacheprovider", "-p", "speed_probe"]
                    extra = {"PYTHONPATH": str(plugins)}
                else:
                    node_modules_for(project)
                    jest = str(project / "node_modules" / ".bin" / "jest")
                    command = [jest, "--reporters", "default", "--reporters", str(plugins / "speed-probe.js")]
                    extra = {}
                for label, env in paths.items():
                    first, whole = first_test_seconds(command, project, env | extra, probe_out)
                    print(f"{stack}, {label}: first test after {first:.1f} s, whole run {whole:.1f} s")
    finally:
        engine.stop()


if __name__ == "__main__":
    main()
