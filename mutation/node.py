"""Mutation testing of a rendered Express project with StrykerJS (its Jest runner).

Stryker lives in a cache folder of its own, not in the project's package.json: the project stays
as rendered. It runs from the project's folder, so its Jest runner finds the project's Jest; its
plugin is named by absolute path. Only the unit and integration Jest projects run (the property
tests of `fuzz` are slow and random), against the real services named in `env`.
"""

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import time
from contextlib import suppress
from pathlib import Path

from mutation.report import Mutant, Report
from tests.helpers import CACHE, cache_lock

# 10.x needs Node >= 22; the generated projects (and CI, and this machine) run Node 20, which
# 9.6 supports. Core and runner move in lockstep (the runner's peer dependency is exact).
STRYKER_VERSION = "9.6.1"
# Test-runner processes at once. Each needs its own Postgres database and Redis database (below).
CONCURRENCY = 2
# The entry point starts a server; it is left out of coverage in the project's Jest config too.
MUTATE = ["src/**/*.ts", "!src/server.ts"]

# One Jest config, not `projects`: Stryker swaps in its own test environment (to see which test
# covers which mutant) only at the top level of the config. Written into the project, because
# Stryker copies the project into a sandbox and `<rootDir>` must follow it there.
JEST_CONFIG = """\
// Written by mutation/node.py: the project's unit and integration Jest projects as one.
const base = require("./jest.config.js");
const projects = base.projects.filter((project) => project.displayName !== "fuzz");
const { projects: _, coverageThreshold, collectCoverageFrom, coverageReporters, ...rest } = base;
module.exports = {
  ...rest,
  ...Object.assign({}, ...projects, { displayName: undefined }),
  testMatch: projects.flatMap((project) => project.testMatch),
  // Stryker wraps the test environment and resolves its path without Jest's <rootDir>; the
  // project's own adds only an exit for orphaned Jest workers, which Stryker's runners are not.
  testEnvironment: "node",
};
"""

# Loaded first in every Stryker test-runner process (`--import`). Each runs Jest in-band, so
# JEST_WORKER_ID is 1 in all of them and the project's own per-worker isolation does not tell
# them apart. So a process claims a free slot 0..CONCURRENCY-1 by listening on an abstract Unix
# socket (the kernel frees it when the process dies, even when Stryker kills it after a timeout;
# Stryker's own worker number only grows as it replaces processes), and points the services at
# the slot's own names: Postgres database `<name>_s<slot>`, Redis database `<base> + slot`.
SLOT_PRELOAD = """\
import net from "node:net";

const { STRYKER_SLOT_PREFIX: prefix, STRYKER_SLOTS: slots } = process.env;

function listen(slot) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen({ path: `\\0${prefix}-${slot}` }, () => {
      server.unref();
      resolve(true);
    });
  });
}

async function claim() {
  for (;;) {
    for (let slot = 0; slot < Number(slots); slot++) {
      if (await listen(slot)) return slot;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const slot = await claim();
const database = new URL(process.env.TEST_DATABASE_URL);
database.pathname = `${database.pathname}_s${slot}`;
process.env.TEST_DATABASE_URL = database.toString();
const redis = new URL(process.env.TEST_REDIS_URL);
redis.pathname = `/${Number.parseInt(redis.pathname.slice(1) || "0", 10) + slot}`;
process.env.TEST_REDIS_URL = redis.toString();
"""

STATUSES = {
    "Killed": "killed",
    "Survived": "survived",
    "NoCoverage": "no coverage",
    "Timeout": "timeout",
    "CompileError": "error",
    "RuntimeError": "error",
}


def install() -> Path:
    """Stryker's node_modules in the cache, installed once."""
    home = CACHE / "stryker" / STRYKER_VERSION
    with cache_lock(f"stryker-{STRYKER_VERSION}"):
        if not (home / "ready").exists():
            shutil.rmtree(home, ignore_errors=True)
            home.mkdir(parents=True)
            packages = {f"@stryker-mutator/{name}": STRYKER_VERSION for name in ("core", "jest-runner")}
            (home / "package.json").write_text(json.dumps({"private": True, "dependencies": packages}, indent=2))
            subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent"], cwd=home, check=True)
            (home / "ready").write_text(STRYKER_VERSION)
    return home / "node_modules"


def sample_ranges(project: Path, share: float) -> list[str]:
    """The same lines every run, about `share` of them: `file:line-line` ranges (Stryker then
    mutates only what lies within one of them) for the lines whose hash falls in the share."""
    files = [path for path in sorted((project / "src").rglob("*.ts")) if path.name != "server.ts"]
    code = [
        (path.relative_to(project).as_posix(), number)
        for path in files
        for number, text in enumerate(path.read_text().splitlines(), start=1)
        if text.strip() and not text.strip().startswith(("//", "import ", "*", "/*"))
    ]
    return [
        f"{file}:{line}-{line}"
        for file, line in code
        if int(hashlib.sha256(f"{file}:{line}".encode()).hexdigest()[:8], 16) < share * 0x1_0000_0000
    ]


def config(project: Path, modules: Path, report: Path, mutate: list[str]) -> dict:
    return {
        "testRunner": "jest",
        # A plugin outside the project's node_modules: by the path of its module (ESM needs a file).
        "plugins": [str(modules / "@stryker-mutator" / "jest-runner" / "dist" / "src" / "index.js")],
        "jest": {"projectType": "custom", "configFile": "stryker.jest.config.cjs"},
        "coverageAnalysis": "perTest",
        "mutate": mutate,
        "concurrency": CONCURRENCY,
        "testRunnerNodeArgs": ["--import", str(project / "stryker-slot.mjs")],
        "reporters": ["json", "clear-text", "progress-append-only"],
        "jsonReporter": {"fileName": str(report)},
        # On top of 1.5 times the covering tests' time in the first run. Generous: a test runner
        # that replaces a timed-out one starts Jest cold, and with less its first mutant timed out
        # too, and so on (a third of all mutants "timed out" at 5 s on a busy machine).
        "timeoutMS": 15000,
        # In the project itself, not a copy in a sandbox: the tests run node-pg-migrate from
        # <root>/node_modules, and Stryker does not link a node_modules that is itself a symlink (as
        # the template's tests install it) into its sandbox. The project is a throwaway render;
        # Stryker puts the files back when it ends.
        "inPlace": True,
        "tempDirName": ".stryker-tmp",
        "cleanTempDir": "always",
    }


def _change(mutant: dict, lines: list[str]) -> str:
    """`Mutator: original -> replacement`, each on one line and cut short: the original makes the
    text specific enough to name an equivalent mutant in mutation/equivalent.toml."""
    start, end = mutant["location"]["start"], mutant["location"]["end"]
    if start["line"] == end["line"]:
        original = lines[start["line"] - 1][start["column"] - 1 : end["column"] - 1]
    else:
        original = lines[start["line"] - 1][start["column"] - 1 :] + " ..."

    def short(text: str) -> str:
        text = re.sub(r"\s+", " ", text).strip()
        return text if len(text) <= 80 else text[:77] + "..."

    return f"{mutant['mutatorName']}: {short(original)} -> {short(mutant.get('replacement') or '')}"


def parse(report: dict, project: Path) -> list[Mutant]:
    """The JSON report (mutation-testing-report-schema) as Mutant records, sorted."""
    mutants = []
    for name, file in report["files"].items():
        path = Path(name)
        relative = (path.relative_to(project) if path.is_absolute() else path).as_posix()
        lines = file["source"].splitlines()
        for mutant in file["mutants"]:
            status = STATUSES.get(mutant["status"])
            if status is None:  # Ignored or Pending: never ran
                continue
            line = mutant["location"]["start"]["line"]
            mutants.append(Mutant(relative, line, _change(mutant, lines), status))
    return sorted(mutants, key=lambda m: (m.file, m.line, m.change))


def run(
    project: Path,
    stack: str,
    env: dict[str, str],
    *,
    sample_percent: int = 100,
    timeout_minutes: float | None = None,
) -> Report:
    """Run Stryker on a rendered Express project (its node_modules installed) against the services
    that `env` names (TEST_DATABASE_URL, TEST_REDIS_URL, TEST_AMQP_URL, as the project's tests
    read them; the Redis databases after the one in the URL, one per test runner, are used).
    A bounded run: about `sample_percent` of the mutants, the same ones every run."""
    project = project.resolve()
    modules = install()
    share = sample_percent / 100
    mutate = MUTATE if share >= 1 else sample_ranges(project, share)
    report_file = project / "reports" / "mutation" / "stryker.json"
    report_file.unlink(missing_ok=True)
    (project / "stryker.jest.config.cjs").write_text(JEST_CONFIG)
    (project / "stryker-slot.mjs").write_text(SLOT_PRELOAD)
    config_file = project / "stryker.config.json"
    config_file.write_text(json.dumps(config(project, modules, report_file, mutate), indent=2))

    stryker = modules / "@stryker-mutator" / "core" / "bin" / "stryker.js"
    slots = {"STRYKER_SLOTS": str(CONCURRENCY), "STRYKER_SLOT_PREFIX": f"stryker-{os.getpid()}-{time.time_ns()}"}
    started = time.monotonic()
    # Its own process group, so a timeout ends Stryker's test runners (and their Jest) with it.
    process = subprocess.Popen(
        ["node", str(stryker), "run", str(config_file)],
        cwd=project,
        env=os.environ | env | slots,
        start_new_session=True,
    )
    try:
        code = process.wait(timeout=timeout_minutes * 60 if timeout_minutes else None)
    except subprocess.TimeoutExpired:
        # Interrupted, Stryker puts the project's files back (in-place mode) and ends its runners.
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        finally:
            with suppress(ProcessLookupError):  # nothing of the group left
                os.killpg(process.pid, signal.SIGKILL)
        raise
    if code != 0 or not report_file.exists():
        raise RuntimeError(f"Stryker failed ({code}) in {project}")
    mutants = parse(json.loads(report_file.read_text()), project)
    return Report(stack, f"StrykerJS {STRYKER_VERSION}", mutants, time.monotonic() - started)
