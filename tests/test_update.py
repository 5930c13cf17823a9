"""Layer 3: `copier update` across the template's real releases (tags derived from CHANGELOG.md
commits in a throwaway clone): the team's edits survive, the release lands, a clash is never
silent, changed answers give what a fresh copy gives, and renamed answers carry over."""

import difflib
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import copier
import jinja2
import pytest
import yaml
from pathspec import PathSpec
from plumbum import local

from extensions.context import derive
from tests.helpers import REPO, STACKS, node_modules_for, run, tree_differences, uv_bin_dir, write_lockfile
from tests.releases import ReleasedTemplate, git, released_clone
from tests.test_generated_suites import RUNNERS

UPDATE_STACKS = list(STACKS)
ANSWERS = {"project_name": "Demo Service", "services": ["postgres", "redis"], "ci": "github", "auth": True}
# Where Copier leaves a clash: git's markers with its own labels.
CONFLICT = re.compile(
    r"^<{7} before updating\n(?P<ours>.*?)^(?:\|{7}.*?\n.*?)?={7}\n(?P<theirs>.*?)^>{7} after updating\n",
    re.MULTILINE | re.DOTALL,
)
MARKER = re.compile(r"^(<{7}|={7}|>{7})( |$)", re.MULTILINE)
# Template-owned files where a release's change meets a team's edit of the same line.
CLASH_CANDIDATES = ["README.md", "Makefile", ".github/workflows/tests.yml", "docker-compose.test.yml"]


@dataclass(frozen=True)
class TeamEdits:
    """What a team does to its project between two updates."""

    app_file: str  # example code, the team's after the first copy
    comment: str
    new_test: str
    new_test_body: str
    config: tuple[str, str, str]  # a template-owned file, a line in it, the team's version of it

    def apply(self, project: Path) -> None:
        app = project / self.app_file
        app.write_text(f"{self.comment} Team: the billing squad owns this module.\n{app.read_text()}")
        (project / self.new_test).write_text(self.new_test_body)
        name, line, ours = self.config
        config = project / name
        assert f"\n{line}\n" in config.read_text(), f"{name} has no line {line!r}"
        config.write_text(config.read_text().replace(f"\n{line}\n", f"\n{ours}\n", 1))

    @property
    def paths(self) -> set[str]:
        return {self.app_file, self.new_test, self.config[0]}


def express_edits(ext: str, imports: str) -> TeamEdits:
    """The team's edits in an Express project; the two languages differ only in their imports."""
    return TeamEdits(
        app_file=f"src/users/routes.{ext}",
        comment="//",
        new_test=f"tests/integration/api/team-health.test.{ext}",
        new_test_body=(
            f"// Ours: the health check answers.\n{imports}\n"
            "const t = useTestApp();\n\n"
            'test("the health check answers", async () => {\n'
            '  expect((await request(t.app()).get("/health")).status).toBe(200);\n'
            "});\n"
        ),
        config=("Makefile", "JEST_ARGS ?=", "JEST_ARGS ?= --ci"),
    )


EDITS = {
    "fastapi": TeamEdits(
        app_file="demo_service/api/health.py",
        comment="#",
        new_test="tests/integration/api/test_team_health.py",
        new_test_body=(
            '"""Ours: the health check answers."""\n\n\n'
            "def test_health_answers(client) -> None:\n"
            '    assert client.get("/health").status_code == 200\n'
        ),
        config=("Makefile", "PYTEST_ARGS ?=", "PYTEST_ARGS ?= -p no:cacheprovider"),
    ),
    "express-ts": express_edits(
        "ts", 'import request from "supertest";\n\nimport { useTestApp } from "../../support/app";\n'
    ),
    "express-js": express_edits(
        "js", 'const request = require("supertest");\n\nconst { useTestApp } = require("../../support/app");\n'
    ),
}


@pytest.fixture(scope="module")
def released(template, tmp_path_factory) -> ReleasedTemplate:
    return released_clone(template, tmp_path_factory.mktemp("released") / "template")


def copy(template: ReleasedTemplate | Path, destination: Path, ref: str, answers: dict, *, lock: bool = False) -> Path:
    source = template.path if isinstance(template, ReleasedTemplate) else template
    with local.env(PATH=f"{uv_bin_dir()}{os.pathsep}{os.environ['PATH']}"):  # Copier's tasks get plumbum's env
        copier.run_copy(
            str(source), str(destination), data=answers, defaults=True, unsafe=True, vcs_ref=ref, quiet=True,
            skip_tasks=not lock,
        )  # fmt: skip
    return destination


def commit_all(project: Path, message: str) -> None:
    if not (project / ".git").exists():
        git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", message)


def update(project: Path, ref: str, **data) -> None:
    copier.run_update(
        str(project), data=data, defaults=True, unsafe=True, overwrite=True, quiet=True, vcs_ref=ref, conflict="inline"
    )


def recorded_ref(project: Path) -> str:
    return re.search(r"^_commit: (\S+)$", (project / ".copier-answers.yml").read_text(), re.MULTILINE)[1]


def check_conflicts(project: Path) -> subprocess.CompletedProcess:
    return run(["make", "-C", str(project), "check-conflicts"], check=False)


def changed_line(old: Path, new: Path) -> tuple[str, str] | None:
    """A line of a template-owned file that the newer render replaces: (file, line)."""
    for name in CLASH_CANDIDATES:
        if not (old / name).is_file() or not (new / name).is_file():
            continue
        before, after = (old / name).read_text().splitlines(), (new / name).read_text().splitlines()
        for tag, i1, _, _, _ in difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes():
            if tag == "replace" and before[i1].strip():
                return name, before[i1]
    return None


def release_to_clash_with(released: ReleasedTemplate, answers: dict, fresh: Path, root: Path) -> tuple[str, Path]:
    """The newest release older than the current one that differs from it on a line of a
    template-owned file (a team can only clash with a change), rendered."""
    for ref in released.older:
        previous = copy(released, root / ref, ref, answers)
        if changed_line(previous, fresh):
            return ref, previous
    raise AssertionError(f"no release in {released.older} differs from {released.current} in {CLASH_CANDIDATES}")


def team_owned(project: Path) -> PathSpec:
    """copier.yml's `_skip_if_exists` for the project's answers: the files an update leaves alone."""
    patterns = yaml.safe_load((REPO / "copier.yml").read_text())["_skip_if_exists"]
    context = derive(yaml.safe_load((project / ".copier-answers.yml").read_text()))
    return PathSpec.from_lines("gitignore", (jinja2.Template(p).render(context) for p in patterns))


def kept_by_the_team(old: Path, new: Path) -> set[str]:
    """Files the newer release changed that a project updated to it keeps as they were: the
    team's (a file the release adds is still created)."""
    owned = team_owned(new)
    return {
        path
        for path in tree_differences(old, new)
        if (old / path).is_file() and (new / path).is_file() and owned.match_file(path)
    }


@pytest.mark.suite
@pytest.mark.parametrize("stack", UPDATE_STACKS)
def test_update_to_the_current_release_keeps_team_edits_and_never_hides_a_clash(released, tmp_path, stack):
    answers = {**ANSWERS, "stack": stack}
    family, _ = STACKS[stack]
    lockfile = "uv.lock" if family == "python" else "package-lock.json"
    edits = EDITS[stack]
    fresh = copy(released, tmp_path / "fresh", released.current, answers)
    previous_ref, previous = release_to_clash_with(released, answers, fresh, tmp_path / "releases")
    project = copy(released, tmp_path / "project", previous_ref, answers, lock=True)
    commit_all(project, f"generated at {previous_ref}")

    edits.apply(project)
    (project / lockfile).write_text((project / lockfile).read_text() + "\n")  # the team's lockfile
    clash_file, clash_line = changed_line(previous, fresh)
    clashing = project / clash_file
    clashing.write_text(clashing.read_text().replace(clash_line, "Team: our own version of this line", 1))
    commit_all(project, "team edits")

    update(project, released.current)

    # The answers file records the release updated to (`git describe` for unreleased work).
    assert recorded_ref(project) == git(released.path, "describe", "--tags", released.current).strip()
    # The clash is inline in the one file both sides changed, and the check fails on it.
    conflicted = [p for p in tree_differences(fresh, project) if MARKER.search((project / p).read_text())]
    assert conflicted == [clash_file]
    found = check_conflicts(project)
    assert found.returncode != 0 and clash_file in found.stdout + found.stderr, found.stdout + found.stderr
    # Resolved (taking the release's side), the check passes.
    clashing.write_text(CONFLICT.sub(lambda m: m["theirs"], clashing.read_text()))
    assert check_conflicts(project).returncode == 0

    # The team's edits survived; everything else is the current release, as a fresh copy has it.
    assert (project / edits.app_file).read_text().startswith(f"{edits.comment} Team: the billing squad")
    assert (project / edits.new_test).read_text() == edits.new_test_body
    assert edits.config[2] in (project / edits.config[0]).read_text()
    assert (project / lockfile).read_text().endswith("\n\n")
    kept = kept_by_the_team(previous, fresh)
    assert sorted(tree_differences(fresh, project)) == sorted(edits.paths | {lockfile} | kept)

    # And the updated project's own suite passes against the local services.
    write_lockfile(project, family)  # what the README says after an update: refresh the lockfile
    if family == "node":
        node_modules_for(project)
    outcome = RUNNERS[stack].full_run(project, answers)
    assert outcome.passed, outcome.output


# Per stack: an example file (the team's) and a harness file (the template's), in the project and
# in the template.
OWNERSHIP = {
    "fastapi": {
        "demo_service/api/health.py": "template/python/{{ package_name }}/api/health.py",
        "tests/support/names.py": "template/python/tests/support/names.py",
    },
    "express-ts": {
        "src/users/routes.ts": "template/node/src/users/routes.ts",
        "tests/support/names.ts": "template/node/tests/support/names.ts",
    },
    "express-js": {
        "src/users/routes.js": "template/node/src/users/routes.js.jinja",
        "tests/support/names.js": "template/node/tests/support/names.js.jinja",
    },
}


@pytest.mark.parametrize("stack", UPDATE_STACKS)
def test_a_release_changes_the_harness_but_never_the_example_code_the_team_owns(released, tmp_path, stack):
    template = tmp_path / "template"
    subprocess.run(["git", "clone", "--quiet", str(released.path), str(template)], check=True)
    git(template, "checkout", "-q", released.current)
    answers = {**ANSWERS, "stack": stack}
    project = copy(template, tmp_path / "project", released.current, answers)
    commit_all(project, "generated")
    (example, example_source), (harness, harness_source) = OWNERSHIP[stack].items()
    before = {path: (project / path).read_text() for path in (example, harness)}

    # The next release changes both files; the team has edited neither.
    change = f"{EDITS[stack].comment} Changed by the next release.\n"
    for source in (example_source, harness_source):
        (template / source).write_text((template / source).read_text() + change)
    git(template, "commit", "-q", "-am", "The next release")
    git(template, "tag", "v99.0.0")
    update(project, "v99.0.0")

    assert (project / example).read_text() == before[example]
    assert (project / harness).read_text() == before[harness] + change


CHANGES = {
    "a service added": ({"services": ["postgres"]}, {"services": ["postgres", "redis", "rabbitmq"]}),
    "a service removed": ({"services": ["postgres", "redis"]}, {"services": ["redis"]}),
    "CI switched": ({"ci": "github"}, {"ci": "gitlab"}),
}


@pytest.mark.parametrize("change", CHANGES)
@pytest.mark.parametrize("stack", UPDATE_STACKS)
def test_an_answer_changed_on_update_gives_a_fresh_copy_plus_the_team_edits(released, tmp_path, stack, change):
    before, after = CHANGES[change]
    answers = {**ANSWERS, "stack": stack, **before}
    edits = EDITS[stack]
    project = copy(released, tmp_path / "project", released.current, answers)
    commit_all(project, "generated")
    edits.apply(project)
    commit_all(project, "team edits")

    update(project, released.current, **after)

    fresh = copy(released, tmp_path / "fresh", released.current, {**answers, **after})
    assert sorted(tree_differences(fresh, project)) == sorted(edits.paths)
    assert not [p for p in project.rglob("*") if p.suffix == ".rej" or p.name.endswith(".orig")]


@pytest.mark.parametrize("stack", UPDATE_STACKS)
def test_an_answer_renamed_by_a_release_carries_over_without_being_asked(released, tmp_path, stack):
    before_rename = released.release_before("0.2.0")  # `coverage_threshold` became `min_coverage`
    answers = {**ANSWERS, "stack": stack, "coverage_threshold": 85}
    project = copy(released, tmp_path / "project", before_rename, answers)
    assert "coverage_threshold: 85" in (project / ".copier-answers.yml").read_text()
    commit_all(project, f"generated at {before_rename}")

    # The command a team runs; with --defaults an answer that did not carry over would be 70.
    command = [sys.executable, "-m", "copier", "update", "--trust", "--defaults", "--vcs-ref", released.current]
    result = run(command, cwd=project, stdin=subprocess.DEVNULL)

    recorded = (project / ".copier-answers.yml").read_text()
    assert "min_coverage: 85" in recorded and "coverage_threshold" not in recorded, result.stderr
    config = "pyproject.toml" if stack == "fastapi" else "jest.config.js"
    assert re.search(r"\b85\b", (project / config).read_text()), f"{config} lost the answer"
    fresh = copy(released, tmp_path / "fresh", released.current, {**ANSWERS, "stack": stack, "min_coverage": 85})
    as_copied = copy(released, tmp_path / "as-copied", before_rename, answers)
    assert sorted(tree_differences(fresh, project)) == sorted(kept_by_the_team(as_copied, fresh))
