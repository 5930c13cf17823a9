"""Prints how fast a generated FastAPI project's suite is, measured in one run:

- cloning the migrated template database vs running the migrations into an empty one;
- the whole suite serially vs with 2 xdist workers, and the time per test.

Run: .venv/bin/python benchmarks/generated_suite.py  (needs the local services, like `make test`).
"""

import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.helpers import project_env, render, run, snapshot, venv_for

BENCH_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/bench_suite"
ANSWERS = {"services": ["postgres", "redis", "rabbitmq"], "ci": "github", "auth": True}
CLONE_VS_MIGRATE = """
import time, psycopg
from psycopg import sql
from tests.support import postgres
postgres.prepare_run()
base = postgres._base()
template = postgres.names.template_database(base, postgres.migrations_digest())
def timed(action, rounds=5):
    best = float("inf")
    for n in range(rounds):
        name = f"{base}_bench{n}"
        with postgres._admin() as conn:
            postgres._drop(conn, name)
            started = time.perf_counter()
            action(conn, name)
            best = min(best, time.perf_counter() - started)
            postgres._drop(conn, name)
    return best
def clone(conn, name):
    conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template)))
def migrate(conn, name):
    conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    postgres.command.upgrade(postgres.alembic_config(postgres.url_for(name)), "head")
print(timed(clone), timed(migrate))
postgres.finish_run()
"""


def suite_seconds(pytest: Path, project: Path, env: dict, *args: str) -> tuple[float, int]:
    started = time.perf_counter()
    result = run([str(pytest), "-q", "-p", "no:cacheprovider", *args], cwd=project, env=env)
    elapsed = time.perf_counter() - started
    return elapsed, int(re.search(r"(\d+) passed", result.stdout).group(1))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = render(snapshot(Path(tmp) / "template"), Path(tmp) / "project", **ANSWERS)
        venv = venv_for(project)
        # Its own database names, so it never meets a test run's advisory lock.
        env = project_env(ANSWERS, ANSWERS["services"]) | {"TEST_DATABASE_URL": BENCH_DATABASE_URL}
        clone, migrate = map(
            float, run([str(venv / "bin/python"), "-c", CLONE_VS_MIGRATE], cwd=project, env=env).stdout.split()
        )
        serial, tests = suite_seconds(venv / "bin/pytest", project, env)
        parallel, _ = suite_seconds(venv / "bin/pytest", project, env, "-n", "2")

    print(
        f"database per worker: clone {clone * 1000:.0f} ms vs migrate {migrate * 1000:.0f} ms ({migrate / clone:.1f}x)"
    )
    print(f"suite of {tests} tests: serial {serial:.1f} s ({serial / tests * 1000:.0f} ms/test incl. start-up)")
    print(f"suite with -n 2: {parallel:.1f} s (serial/parallel = {serial / parallel:.2f}x)")


if __name__ == "__main__":
    main()
