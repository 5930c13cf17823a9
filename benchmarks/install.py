"""Prints how long `make install` takes for the FastAPI project with every service, with uv
(`uv sync` from the uv.lock the copy wrote) and, for comparison, the pip install it replaced
(`python3 -m venv`, then `pip install -e .` with the same dependencies), each from a cold
(empty) and a warm download cache: the median of a few runs.

Run: .venv/bin/python benchmarks/install.py [runs]  (needs PyPI; the default is 3 runs).
"""

import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from plumbum import local

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.helpers import EVERY_SERVICE, render, run, snapshot, uv_bin_dir

ANSWERS = {"stack": "fastapi", **EVERY_SERVICE}


def clean_env(**extra: str) -> dict[str, str]:
    """No pip or uv settings of this machine (pip's extra indexes, find-links, constraints): PyPI only."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "UV_", "VIRTUAL_ENV"))}
    return env | {"PATH": f"{uv_bin_dir()}{os.pathsep}{env['PATH']}", "PIP_CONFIG_FILE": os.devnull} | extra


def uv_install(project: Path, cache: Path) -> None:
    """The README's command: `make install` runs `uv sync`."""
    run(["make", "-C", str(project), "install"], env=clean_env(UV_CACHE_DIR=str(cache)))


def pip_install(project: Path, cache: Path) -> None:
    """What `make install` did before: a venv, pip upgraded, the project and its test tools."""
    env = clean_env(PIP_CACHE_DIR=str(cache))
    venv = project / ".venv"
    run(["python3", "-m", "venv", str(venv)], env=env)
    pip = [str(venv / "bin/python"), "-m", "pip", "install", "--quiet"]
    run([*pip, "--upgrade", "pip"], env=env)
    run([*pip, "-e", ".", "--group", "dev"], cwd=project, env=env)


def timed(install: Callable[[Path, Path], None], project: Path, cache: Path) -> float:
    shutil.rmtree(project / ".venv", ignore_errors=True)
    started = time.perf_counter()
    install(project, cache)
    return time.perf_counter() - started


def main(runs: int) -> None:
    figures: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        with local.env(PATH=clean_env()["PATH"]):  # the copy task writes uv.lock with uv
            project = render(snapshot(root / "template"), root / "project", lock=True, **ANSWERS)
        assert (project / "uv.lock").exists()
        for tool, install in (("uv", uv_install), ("pip", pip_install)):
            for n in range(runs):
                cache = root / f"{tool}-cache-{n}"  # empty for the first install, warm for the second
                figures.setdefault(f"{tool} cold", []).append(timed(install, project, cache))
                figures.setdefault(f"{tool} warm", []).append(timed(install, project, cache))

    print(f"`make install`, FastAPI project with every service, median of {runs} runs:")
    for tool, label in (("pip", "before: python3 -m venv + pip install"), ("uv", "after:  uv sync from uv.lock")):
        cold, warm = (statistics.median(figures[f"{tool} {state}"]) for state in ("cold", "warm"))
        print(f"  {label:38} cold cache {cold:5.1f} s   warm cache {warm:5.1f} s")
    print("  (pip compiles bytecode while installing; uv leaves it to the first import)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
