"""Probes the benchmarks load into a generated project's test runner, without changing it.

Both write JSON lines to the file named by $BENCH_PROBE_OUT (appends, so xdist workers and
Jest's reporter can share it):
- {"first_test": <epoch seconds>}: when a test first started (the earliest line wins);
- {"test": id, "file": path, "seconds": s, "api_db": bool}: one finished test;
- {"fixture": name, "seconds": s}: one function-scoped fixture set up (pytest only);
- {"file": path, "seconds": s, "tests_seconds": s}: one test file's run (Jest only).

`install(folder)` writes them there: pytest loads `-p speed_probe` with the folder on
PYTHONPATH, Jest `--reporters <folder>/speed-probe.js`.
"""

from pathlib import Path

PYTEST_PLUGIN = r"""
import json, os, time
import pytest

_OUT = os.environ["BENCH_PROBE_OUT"]
_first = []


def _write(record):
    with open(_OUT, "a") as out:
        out.write(json.dumps(record) + "\n")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    # Runs where the test runs (an xdist worker, not the controller): set-up, call, tear-down.
    if not _first:
        _first.append(time.time())
        _write({"first_test": _first[0]})
    started = time.perf_counter()
    try:
        return (yield)
    finally:
        # A test of the API that reaches the database: it uses the app's client and the database.
        api_db = "client" in item.fixturenames and "database_url" in item.fixturenames
        seconds = time.perf_counter() - started
        _write({"test": item.nodeid, "file": str(item.path), "seconds": seconds, "api_db": api_db})


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    started = time.perf_counter()
    try:
        return (yield)
    finally:
        if fixturedef.scope == "function":
            _write({"fixture": fixturedef.argname, "seconds": time.perf_counter() - started})
"""

JEST_REPORTER = r"""
const fs = require("node:fs");
const path = require("node:path");

const out = process.env.BENCH_PROBE_OUT;
const write = (record) => fs.appendFileSync(out, JSON.stringify(record) + "\n");
let first = false;

module.exports = class SpeedProbe {
  constructor(globalConfig) {
    this.root = globalConfig.rootDir;
  }
  stamp() {
    if (!first) {
      first = true;
      write({ first_test: Date.now() / 1000 });
    }
  }
  onTestCaseStart() {
    this.stamp();
  }
  onTestResult(test, result) {
    const file = path.relative(this.root, result.testFilePath);
    // A test of the API that reaches the database: the API tests, when PostgreSQL is chosen.
    const apiDb = file.includes(`integration${path.sep}api${path.sep}`) && process.env.TEST_DATABASE_URL !== undefined;
    let testsSeconds = 0;
    for (const assertion of result.testResults) {
      const seconds = (assertion.duration ?? 0) / 1000;
      testsSeconds += seconds;
      write({ test: `${file} > ${assertion.fullName}`, file, seconds, api_db: apiDb });
    }
    const perf = result.perfStats;
    write({ file, seconds: (perf.end - perf.start) / 1000, tests_seconds: testsSeconds });
  }
};
"""


def install(folder: Path) -> Path:
    """Write the pytest plugin (speed_probe.py) and the Jest reporter (speed-probe.js) into folder."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "speed_probe.py").write_text(PYTEST_PLUGIN)
    (folder / "speed-probe.js").write_text(JEST_REPORTER)
    return folder
