"""How fast the generated suites are: one command, one table, the same figures as JSON.

For the project with every service of each stack (FastAPI, Express TypeScript) it measures:
- per test: median and p90 of all tests and of the API tests that reach the database;
- cold start: from invoking the runner to the start of the first test;
- suite wall time, serially and with 2 workers, without the property-based tests (their own
  time is a figure of its own);
- per test file (Jest): the seconds a file costs beyond its tests' own;
- per-test fixed costs (pytest): the median set-up of each function-scoped fixture;
- a scaled suite: the integration tests copied (a bench-only generator) to at least 300 and
  1,000 tests, serially and with 2 workers, and where 2 workers start to win;
- the isolation step alone (a rolled-back transaction) against TRUNCATE and against dropping
  and re-creating the database from its template, on the same schema (ms and ratios), and that
  clone against running the migrations into an empty database (what a worker's start pays);
- `copier copy` (without the lockfile task) and the install, from a cold and a warm cache.

Each figure is the median of --runs runs (default 3); ratios compare figures of one run.
The runners run as a team runs them daily: no coverage, the local services.

Run: make bench  (= .venv/bin/python benchmarks/speed.py; needs the local services and the
package registries for the installs). Writes benchmarks/speed.json.
"""

import argparse
import datetime
import json
import math
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import probes
from benchmarks.install import clean_env
from tests.helpers import (
    EVERY_SERVICE,
    MEASURED_STACKS,
    REPO,
    node_modules_for,
    project_env,
    render,
    run,
    snapshot,
    venv_for,
)

ANSWERS = EVERY_SERVICE
STACKS = MEASURED_STACKS
# Its own database names and Redis databases (5 and up), so it never meets a test run's.
BENCH_URLS = {
    "TEST_DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/bench_speed",
    "TEST_REDIS_URL": "redis://127.0.0.1:6379/5",
    "TEST_AMQP_URL": "amqp://guest:guest@127.0.0.1:5672/%2F",
}
SCALED_SIZES = (300, 1000)
ISOLATION = """
import json, statistics, time, psycopg
from alembic import command
from psycopg import sql
from tests.support import postgres

postgres.prepare_run()
base = postgres._base()
template = postgres.names.template_database(base, postgres.migrations_digest())
name = base + "_isolation"
ident = sql.Identifier
INSERT = "INSERT INTO users (email, full_name, password_hash) VALUES ('a@example.com', 'A', 'x')"

def recreate(conn):
    postgres._drop(conn, name)
    conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(ident(name), ident(template)))

def timed(step, rounds):
    seconds = []
    with postgres._admin() as admin:
        recreate(admin)
        for _ in range(rounds):
            with psycopg.connect(postgres.url_for(name)) as conn:
                conn.execute(INSERT)
                started = time.perf_counter()
                step(conn, admin)
                seconds.append(time.perf_counter() - started)
        postgres._drop(admin, name)
    return statistics.median(seconds)

def rollback(conn, admin):
    conn.rollback()

def truncate(conn, admin):
    conn.execute("TRUNCATE users RESTART IDENTITY CASCADE")
    conn.commit()

def drop_create(conn, admin):
    conn.commit()
    conn.close()
    recreate(admin)
    psycopg.connect(postgres.url_for(name)).close()  # the next test's first connection

def migrate(conn, admin):
    conn.commit()
    conn.close()
    postgres._drop(admin, name)
    admin.execute(sql.SQL("CREATE DATABASE {}").format(ident(name)))
    command.upgrade(postgres.alembic_config(postgres.url_for(name)), "head")

figures = {
    "rollback": timed(rollback, 50),
    "truncate": timed(truncate, 50),
    "drop_create": timed(drop_create, 10),
    "migrate": timed(migrate, 5),
}
postgres.finish_run()
print(json.dumps(figures))
"""


def median(values: list[float]) -> float:
    return statistics.median(values) if values else math.nan


def p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1] if len(values) >= 2 else median(values)


@dataclass
class Run:
    """What one run of a suite reported through the probe."""

    wall: float
    cold_start: float
    tests: list[dict] = field(default_factory=list)
    fixtures: dict[str, list[float]] = field(default_factory=dict)
    files: list[dict] = field(default_factory=list)

    def seconds(self, *, api_db: bool = False, fuzz: bool | None = None) -> list[float]:
        return [
            t["seconds"]
            for t in self.tests
            if (t["api_db"] or not api_db) and (fuzz is None or _is_fuzz(t["file"]) == fuzz)
        ]


def _is_fuzz(path: str) -> bool:
    return f"{os.sep}fuzz{os.sep}" in path or path.startswith(f"tests{os.sep}fuzz")


class Suite:
    """One generated project and the commands that run its tests."""

    def __init__(self, stack: str, project: Path, probe_dir: Path):
        self.stack, self.project, self.probe_dir = stack, project, probe_dir
        # A database name per stack: each keeps its migrated template for the next benchmark run.
        database = {"TEST_DATABASE_URL": f"{BENCH_URLS['TEST_DATABASE_URL']}_{stack.replace('-', '_')}"}
        self.env = project_env({"stack": stack, **ANSWERS}, ANSWERS["services"]) | BENCH_URLS | database

    def command(self, workers: int, *, fuzz: bool) -> tuple[list[str], dict]:
        if self.stack == "fastapi":
            pytest = str(venv_for(self.project) / "bin" / "pytest")
            command = [pytest, "-q", "-p", "no:cacheprovider", "-p", "speed_probe"]
            command += ["-n", str(workers)] if workers > 1 else []
            command += [] if fuzz else ["-m", "not fuzz"]
            return command, {"PYTHONPATH": str(self.probe_dir)}
        node_modules_for(self.project)
        jest = str(self.project / "node_modules" / ".bin" / "jest")
        projects = ["unit", "integration", *(["fuzz"] if fuzz else [])]
        reporter = str(self.probe_dir / "speed-probe.js")
        return [jest, "--selectProjects", *projects, f"--maxWorkers={workers}", "--reporters", reporter], {}

    def run(self, workers: int = 1, *, fuzz: bool = False) -> Run:
        command, extra = self.command(workers, fuzz=fuzz)
        with tempfile.NamedTemporaryFile(suffix=".jsonl", delete=False) as out:
            probe_out = Path(out.name)
        try:
            started = time.time()
            run(command, cwd=self.project, env=self.env | extra | {"BENCH_PROBE_OUT": str(probe_out)})
            wall = time.time() - started
            records = [json.loads(line) for line in probe_out.read_text().splitlines()]
        finally:
            probe_out.unlink(missing_ok=True)
        first = min(r["first_test"] for r in records if "first_test" in r)
        result = Run(wall=wall, cold_start=first - started)
        for record in records:
            if "test" in record:
                result.tests.append(record)
            elif "fixture" in record:
                result.fixtures.setdefault(record["fixture"], []).append(record["seconds"])
            elif "tests_seconds" in record:
                result.files.append(record)
        return result

    def scaled(self, size: int) -> "Suite":
        """A copy of the project whose integration test files are repeated until it has `size` tests."""
        copy = self.project.with_name(f"{self.project.name}-x{size}")
        if not copy.exists():
            shutil.copytree(self.project, copy, symlinks=True)
            tests = self.run().tests
            integration = [t for t in tests if f"integration{os.sep}" in t["file"] and not _is_fuzz(t["file"])]
            originals = {
                copy / Path(t["file"]).relative_to(self.project.resolve())
                if os.path.isabs(t["file"])
                else copy / t["file"]
                for t in integration
            }
            for n in range(1, math.ceil((size - len(tests)) / len(integration)) + 1):
                for original in originals:
                    stem, _, suffix = original.name.partition(".")
                    shutil.copyfile(original, original.with_name(f"{stem}_x{n}.{suffix}"))
                    recordings = original.parent / "cassettes" / stem  # VCR keeps them by module
                    if recordings.is_dir():
                        shutil.copytree(recordings, recordings.with_name(f"{stem}_x{n}"))
        return Suite(self.stack, copy, self.probe_dir)


def timed_median(action, runs: int) -> float:
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - started)
    return median(seconds)


def render_seconds(template: Path, root: Path, stack: str, runs: int) -> float:
    copier = str(REPO / ".venv" / "bin" / "copier")
    data = [f"-d{k}={v}" for k, v in {"project_name": "Demo Service", "stack": stack, "ci": "github"}.items()]
    data += ["-dservices=" + json.dumps(ANSWERS["services"])]

    def once() -> None:
        shutil.rmtree(root / "render", ignore_errors=True)
        run(
            [
                copier,
                "copy",
                "--trust",
                "--defaults",
                "--quiet",
                "--skip-tasks",
                *data,
                str(template),
                str(root / "render"),
            ]
        )

    return timed_median(once, runs)


def install_seconds(project: Path, stack: str, root: Path, runs: int) -> dict[str, float]:
    """`make install` (uv sync / npm ci) from an empty download cache, then again from the warm one,
    in a copy of the project (the suites' own installs are shared ones)."""
    figures: dict[str, list[float]] = defaultdict(list)
    ignore = shutil.ignore_patterns("node_modules", ".venv")
    project = Path(shutil.copytree(project, root / f"install-{stack}", ignore=ignore))
    for n in range(runs):
        cache = root / f"install-cache-{stack}-{n}"
        for state in ("cold", "warm"):
            if stack == "fastapi":
                shutil.rmtree(project / ".venv", ignore_errors=True)
                env = clean_env(UV_CACHE_DIR=str(cache))
            else:
                shutil.rmtree(project / "node_modules", ignore_errors=True)
                env = clean_env(npm_config_cache=str(cache))
            started = time.perf_counter()
            run(["make", "-C", str(project), "install"], env=env)
            figures[state].append(time.perf_counter() - started)
    return {state: median(values) for state, values in figures.items()}


def isolation_ms(suite: Suite) -> dict[str, float]:
    python = str(venv_for(suite.project) / "bin" / "python")
    output = run([python, "-c", ISOLATION], cwd=suite.project, env=suite.env).stdout
    return {step: seconds * 1000 for step, seconds in json.loads(output.splitlines()[-1]).items()}


def measure_stack(stack: str, template: Path, root: Path, probe_dir: Path, runs: int) -> dict:
    project = render(template, root / stack, lock=True, stack=stack, **ANSWERS)
    suite = Suite(stack, project, probe_dir)
    suite.run()  # warm-up: bytecode, transforms and the migrated template database

    serial = [suite.run() for _ in range(runs)]
    parallel = [suite.run(2) for _ in range(runs)]
    with_fuzz = [suite.run(fuzz=True) for _ in range(runs)]
    tests = [s for r in serial for s in r.seconds()]
    api_db = [s for r in serial for s in r.seconds(api_db=True)]
    figures = {
        "tests": len(serial[0].tests),
        "test_ms": {"median": median(tests) * 1000, "p90": p90(tests) * 1000},
        "api_db_test_ms": {"median": median(api_db) * 1000, "p90": p90(api_db) * 1000},
        "cold_start_s": median([r.cold_start for r in serial]),
        "serial_s": median([r.wall for r in serial]),
        "two_workers_s": median([r.wall for r in parallel]),
        "fuzz_s": median([sum(r.seconds(fuzz=True)) for r in with_fuzz]),
        "render_s": render_seconds(template, root / f"render-{stack}", stack, runs),
    }
    figures["serial_over_two_workers"] = median([s.wall / p.wall for s, p in zip(serial, parallel, strict=True)])
    if stack == "fastapi":
        fixtures = defaultdict(list)
        for r in serial:
            for name, values in r.fixtures.items():
                fixtures[name] += values
        # A fixed cost is one most tests pay: fixtures set up for at least half of them.
        common = {name: v for name, v in fixtures.items() if len(v) >= len(tests) / 2}
        figures["fixture_setup_ms"] = dict(
            sorted(((name, median(v) * 1000) for name, v in common.items()), key=lambda kv: -kv[1])
        )
        figures["isolation_ms"] = isolation_ms(suite)
    else:
        integration = [f for r in serial for f in r.files if f"integration{os.sep}" in f["file"]]
        figures["per_file_overhead_s"] = median([f["seconds"] - f["tests_seconds"] for f in integration])

    scaled = {}
    for size in SCALED_SIZES:
        big = suite.scaled(size)
        one = [big.run() for _ in range(runs)]
        two = [big.run(2) for _ in range(runs)]
        scaled[size] = {
            "tests": len(one[0].tests),
            "serial_s": median([r.wall for r in one]),
            "two_workers_s": median([r.wall for r in two]),
            "speed_up": median([a.wall / b.wall for a, b in zip(one, two, strict=True)]),
        }
    figures["scaled"] = scaled
    figures["install_s"] = install_seconds(project, stack, root, max(1, runs - 1))
    return figures


def crossover(figures: dict) -> str:
    sizes = [(figures["tests"], figures["serial_over_two_workers"])]
    sizes += [(s["tests"], s["speed_up"]) for s in figures["scaled"].values()]
    winning = [tests for tests, speed_up in sizes if speed_up > 1.0]
    return f"from {winning[0]} tests" if winning else f"not up to {sizes[-1][0]} tests"


def table(results: dict) -> str:
    stacks = results["stacks"]
    rows: list[tuple[str, ...]] = []

    def row(label: str, render, target: str = "") -> None:
        rows.append((label, *(render(stacks[s]) for s in STACKS), target))

    row("tests (unit + integration)", lambda f: str(f["tests"]))
    row("per test, median / p90 (ms)", lambda f: "{median:.1f} / {p90:.1f}".format(**f["test_ms"]))
    row(
        "API+database test, median / p90 (ms)",
        lambda f: "{median:.1f} / {p90:.1f}".format(**f["api_db_test_ms"]),
        "≤ 5 median",
    )
    row("cold start, to the first test (s)", lambda f: f"{f['cold_start_s']:.2f}", "≤ 1.5")
    row(
        "per integration file (s)",
        lambda f: f"{f['per_file_overhead_s']:.2f}" if "per_file_overhead_s" in f else "-",
        "≤ 0.1",
    )
    row("suite, serial (s)", lambda f: f"{f['serial_s']:.1f}", "≤ 3.5 / ≤ 5")
    row("suite, 2 workers (s)", lambda f: f"{f['two_workers_s']:.1f}")
    row("serial / 2 workers", lambda f: f"{f['serial_over_two_workers']:.2f}×", "≥ 1")
    row("property-based tests (s)", lambda f: f"{f['fuzz_s']:.1f}", "≤ 2")
    for size in SCALED_SIZES:
        row(
            f"scaled to ≥{size}: serial / 2 workers (s)",
            lambda f, n=size: "{tests}: {serial_s:.1f} / {two_workers_s:.1f} ({speed_up:.2f}×)".format(
                **f["scaled"][n]
            ),
            "≥ 1.6× past crossover",
        )
    row("2 workers beat 1", crossover)
    row("copier copy, no tasks (s)", lambda f: f"{f['render_s']:.2f}", "≤ 1")
    row("install, cold / warm cache (s)", lambda f: "{cold:.1f} / {warm:.1f}".format(**f["install_s"]))

    widths = [max(len(r[i]) for r in [("", *STACKS, "target"), *rows]) for i in range(len(STACKS) + 2)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(("", *STACKS, "target"), widths, strict=True)).rstrip()]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]

    fixtures = stacks["fastapi"]["fixture_setup_ms"]
    lines.append("")
    lines.append(
        "FastAPI per-test fixed costs (fixtures at least half the tests set up), median ms, target ≤ 0.5 each: "
        + ", ".join(f"{name} {ms:.2f}" for name, ms in list(fixtures.items())[:8])
    )
    iso = stacks["fastapi"]["isolation_ms"]
    lines.append(
        f"Isolation step, PostgreSQL: rollback {iso['rollback']:.2f} ms, TRUNCATE {iso['truncate']:.2f} ms "
        f"({iso['truncate'] / iso['rollback']:.0f}×), drop + create from template {iso['drop_create']:.0f} ms "
        f"({iso['drop_create'] / iso['rollback']:.0f}×); a worker's database: clone {iso['drop_create']:.0f} ms "
        f"vs migrate {iso['migrate']:.0f} ms ({iso['migrate'] / iso['drop_create']:.1f}×)"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (the median is shown)")
    parser.add_argument("--json", type=Path, default=REPO / "benchmarks" / "speed.json")
    args = parser.parse_args()

    results = {
        "date": datetime.date.today().isoformat(),
        "cores": os.cpu_count(),
        "runs": args.runs,
        "stacks": {},
    }
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        template = snapshot(root / "template")
        probe_dir = probes.install(root / "probes")
        for stack in STACKS:
            results["stacks"][stack] = measure_stack(stack, template, root, probe_dir, args.runs)

    print(f"Generated suites, every service — {results['date']}, {results['cores']} cores, median of {args.runs} runs")
    print(table(results))
    args.json.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\n(written to {args.json.relative_to(REPO) if args.json.is_relative_to(REPO) else args.json})")


if __name__ == "__main__":
    main()
