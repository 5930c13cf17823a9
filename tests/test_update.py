"""Layer 3: `copier update` brings a template improvement into a project without losing
the team's edits, and leaves no conflict behind."""

import os
import re
import subprocess
from pathlib import Path

import copier
import pytest
from plumbum import local

from tests.helpers import tree_differences, uv_bin_dir

GIT = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"]
# A conflict marker as git and Copier write it: at the start of a line.
MARKER = re.compile(r"^(<{7}|={7}|>{7})( |$)", re.MULTILINE)
ANSWERS = {"project_name": "Demo Service", "services": ["postgres", "redis"], "ci": "github"}


def git(repo: Path, *args: str) -> str:
    return subprocess.run([*GIT, "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


def commit_all(repo: Path, message: str, tag: str | None = None) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    if tag:
        git(repo, "tag", tag)


@pytest.fixture
def template_repo(template, tmp_path) -> Path:
    """The template under git, released as v1."""
    repo = tmp_path / "template"
    subprocess.run(["cp", "-r", str(template), str(repo)], check=True)
    git(repo, "init", "-q", "-b", "main")
    commit_all(repo, "v1", tag="v1")
    return repo


def release_v2(repo: Path) -> None:
    """A template improvement: a new Makefile target and a new test helper file."""
    makefile = repo / "template/python/Makefile.jinja"
    makefile.write_text(makefile.read_text() + "\ncoverage-html:  ## Coverage report as HTML\n\t$(BIN)/coverage html\n")
    (repo / "template/python/tests/support/timing.py").write_text('"""Added in v2."""\n\nSLOW_TEST_SECONDS = 1.0\n')
    commit_all(repo, "v2", tag="v2")


def team_edits(project: Path) -> None:
    lockfile = project / "uv.lock"
    lockfile.write_text(lockfile.read_text() + "# Team: held back on purpose.\n")
    conftest = project / "tests/conftest.py"
    conftest.write_text(conftest.read_text() + '\n\n@pytest.fixture\ndef team_fixture():\n    return "ours"\n')
    (project / "tests/integration/api/test_team.py").write_text("def test_ours():\n    assert True\n")
    readme = project / "README.md"
    readme.write_text(readme.read_text().replace("## Quick start", "## Quick start\n\nTeam note: ask #billing."))


def test_update_keeps_team_edits_and_lands_improvements(template_repo, tmp_path):
    project = tmp_path / "project"
    with local.env(PATH=f"{uv_bin_dir()}{os.pathsep}{os.environ['PATH']}"):  # Copier's tasks get plumbum's env
        copier.run_copy(
            str(template_repo), str(project), data=ANSWERS, defaults=True, unsafe=True, vcs_ref="v1", quiet=True
        )
    assert (project / "uv.lock").exists(), "the copy task wrote no lockfile"
    git(project, "init", "-q", "-b", "main")
    commit_all(project, "generated at v1")
    team_edits(project)
    commit_all(project, "team edits")

    release_v2(template_repo)
    copier.run_update(str(project), defaults=True, unsafe=True, overwrite=True, quiet=True)

    # The improvements landed.
    assert "coverage-html:" in (project / "Makefile").read_text()
    assert (project / "tests/support/timing.py").exists()
    assert "_commit: v2" in (project / ".copier-answers.yml").read_text()
    # The team's edits survived.
    assert 'return "ours"' in (project / "tests/conftest.py").read_text()
    assert (project / "tests/integration/api/test_team.py").exists()
    assert "Team note: ask #billing." in (project / "README.md").read_text()
    assert (project / "uv.lock").read_text().endswith("# Team: held back on purpose.\n")
    # Nothing half-merged is left behind.
    leftovers = [p for p in project.rglob("*") if p.suffix == ".rej" or p.name.endswith(".orig")]
    conflicted = [
        p for p in project.rglob("*") if p.is_file() and ".git" not in p.parts and MARKER.search(p.read_text())
    ]
    assert leftovers == [] and conflicted == []

    # A fresh v2 copy differs from the updated project only by the team's edits.
    fresh = tmp_path / "fresh"
    copier.run_copy(
        str(template_repo),
        str(fresh),
        data=ANSWERS,
        defaults=True,
        unsafe=True,
        vcs_ref="v2",
        quiet=True,
        skip_tasks=True,
    )
    differing = tree_differences(fresh, project)
    assert sorted(differing) == ["README.md", "tests/conftest.py", "tests/integration/api/test_team.py", "uv.lock"]
