"""FastAPI projects and uv: the copy writes uv.lock, the README's and CI's install commands work
from it, a warm cache installs it again offline, and the package builds with uv's backend."""

import os
import shutil
import sys
import zipfile
from pathlib import Path

import pytest
from plumbum import local

from tests.helpers import SERVICE_KEYS, render, run, uv_bin_dir

ALL_SERVICES = {"stack": "fastapi", "services": list(SERVICE_KEYS), "ci": "github", "auth": True}


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("UV_", "VIRTUAL_ENV"))}
    return env | {"PATH": f"{uv_bin_dir()}{os.pathsep}{env['PATH']}"} | extra


def test_the_copy_writes_uv_lock_and_every_install_runs_from_it(template, tmp_path):
    with local.env(PATH=_env()["PATH"]):  # Copier's tasks get plumbum's environment
        project = render(template, tmp_path / "project", tasks=True, **ALL_SERVICES)
    lockfile = project / "uv.lock"
    assert lockfile.exists(), "the copy task wrote no uv.lock"
    written = lockfile.read_bytes()
    run(["git", "init", "-q", str(project)])
    ignored = run(["git", "-C", str(project), "check-ignore", "-q", "uv.lock"], check=False)
    assert ignored.returncode == 1, ".gitignore ignores uv.lock, which must be committed"

    # The README's command, then CI's: both install what the lockfile pins and leave it as it is.
    install = run(["make", "-C", str(project), "install"], env=_env())
    assert "uv sync" in install.stdout
    run(["uv", "sync", "--locked"], cwd=project, env=_env())
    assert (project / ".venv/bin/mypy").exists()
    assert lockfile.read_bytes() == written

    # A second environment from the warm cache, with the network forbidden: nothing is resolved
    # or downloaded anew.
    again = run(
        ["uv", "sync", "--locked", "--offline"], cwd=project, env=_env(UV_PROJECT_ENVIRONMENT=str(tmp_path / "again"))
    )
    assert "Downloading" not in again.stderr, again.stderr
    assert (tmp_path / "again/bin/pytest").exists()

    # uv's build backend makes a wheel of the package alone (flat layout, no tests).
    run(["uv", "build", "--offline", "--wheel", "--out-dir", str(tmp_path / "dist")], cwd=project, env=_env())
    (wheel,) = (tmp_path / "dist").glob("demo_service-0.1.0-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "demo_service/main.py" in names
    assert not [name for name in names if name.startswith(("tests/", "migrations/"))]


def test_without_uv_the_copy_succeeds_and_says_how_to_write_the_lockfile(template, tmp_path, capfd):
    path = os.pathsep.join(folder for folder in os.defpath.split(os.pathsep) if folder)
    if shutil.which("uv", path=path):
        pytest.skip(f"uv is installed system-wide ({shutil.which('uv', path=path)})")

    with local.env(PATH=path):
        project = render(template, tmp_path / "project", tasks=True, **ALL_SERVICES)

    assert not (project / "uv.lock").exists()
    assert "uv not found: `make install` installs it and writes uv.lock; commit that file." in capfd.readouterr().out


def test_make_install_bootstraps_uv_where_only_python3_exists(template, tmp_path):
    """A copy made without uv has no lockfile; `make install` puts a private uv into .tools/uv
    (from PyPI), installs, and writes uv.lock."""
    python3 = Path(sys.base_prefix) / "bin"  # the interpreter this venv was made from: no uv beside it
    path = os.pathsep.join([str(python3), *(folder for folder in os.defpath.split(os.pathsep) if folder)])
    if shutil.which("uv", path=path):
        pytest.skip(f"uv is installed beside python3 ({shutil.which('uv', path=path)})")
    project = render(template, tmp_path / "project", stack="fastapi", services=[], ci="none", auth=False)

    install = run(["make", "-C", str(project), "install"], env=_env(PATH=path))

    assert "uv is not on PATH: installing a private copy into .tools/uv" in install.stdout
    assert (project / ".tools/uv/bin/uv").exists()
    assert (project / "uv.lock").exists()
    assert (project / ".venv/bin/pytest").exists()
