"""A pytest plugin loaded into every pytest session mutmut starts (`-p mutmut_plugin`).

Two jobs, both about how mutmut runs a generated project's suite:

- Slots. mutmut runs mutants in parallel child processes, each a pytest session of its own.
  The project's harness names what a run creates after the worker (databases, the Redis
  database, the advisory lock), and every child is worker `main`: two at once would clash.
  Each session takes the first free slot (a file lock, released when the session ends) and
  points the TEST_*_URL variables at the slot's own database names and Redis database.
- Shared set-up. mutmut records which test reaches each function, and runs only those tests
  on the function's mutants. What runs at import (route declarations) or in a session- or
  module-scoped fixture (the app, its resources) is reached once, for whichever test came
  first, though every later test uses it. During the stats run, the plugin notes the
  functions reached there and, at the end, gives them every test.
"""

import fcntl
import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

SLOTS_DIR = Path(os.environ["MUTATION_SLOTS_DIR"])  # set by mutation/python.py
_held = None


def _take_slot() -> int:
    global _held
    SLOTS_DIR.mkdir(parents=True, exist_ok=True)
    for slot in range(64):
        handle = (SLOTS_DIR / f"slot-{slot}").open("w")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            continue
        _held = handle
        return slot
    raise RuntimeError(f"no free slot in {SLOTS_DIR}")


def _with_path(url: str, path: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=path))


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    slot = _take_slot()
    if url := os.environ.get("TEST_DATABASE_URL"):
        os.environ["TEST_DATABASE_URL"] = f"{url}_s{slot}"
    if url := os.environ.get("TEST_REDIS_URL"):
        # The harness uses database base + 1 (worker `main`): one database per slot.
        base = int(urlsplit(url).path.strip("/") or 0)
        os.environ["TEST_REDIS_URL"] = _with_path(url, f"/{base + slot}")


def pytest_unconfigure(config: pytest.Config) -> None:
    global _held
    if _held is not None:
        _held.close()
        _held = None


_shared: set[str] = set()  # functions reached outside a test of their own (stats run only)


def _stats_run() -> bool:
    return os.environ.get("MUTANT_UNDER_TEST") == "stats"


def _reached() -> set[str]:
    from mutmut.state import state

    return set(state()._stats)


def pytest_collection_finish(session: pytest.Session) -> None:
    if _stats_run():
        _shared.update(_reached())  # imports: module-level code of the app and the tests


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef: pytest.FixtureDef, request: pytest.FixtureRequest) -> object:
    if not _stats_run() or fixturedef.scope == "function":
        return (yield)
    before = _reached()
    try:
        return (yield)
    finally:
        _shared.update(_reached() - before)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    if not _stats_run():
        return
    from mutmut.state import state

    tests = state().tests_by_mangled_function_name
    every_test = set().union(*tests.values())
    for function in _shared:
        tests[function] |= every_test
