"""Layer 1 for the Express stacks: every combination renders clean, valid files that name
only the chosen services. (Lint and typecheck need node_modules: tests/test_express_suites.py.)"""

import json
import re

import pytest
import yaml

from tests.helpers import NODE_STACKS, SERVICE_SUBSETS, combo_id, render, run

COMBINATIONS = [
    {"stack": stack, "services": services, "ci": ci, "auth": auth}
    for stack in NODE_STACKS
    for services in SERVICE_SUBSETS
    for ci in ("github", "gitlab", "none")
    for auth in (True, False)
]
SERVICE_WORDS = {
    "postgres": re.compile(r"postgres|\bpg\b|psql|migrat|TEST_DATABASE_URL", re.I),
    "redis": re.compile(r"redis", re.I),
    "rabbitmq": re.compile(r"rabbitmq|amqp", re.I),
}
JINJA_LEFTOVERS = re.compile(r"\{\{|\{%|\{#|%\}|#\}")
PYTHON_ONLY = re.compile(r"\.py$|pyproject\.toml|alembic\.ini|\.mako$")


@pytest.fixture(scope="module")
def projects(template, tmp_path_factory):
    root = tmp_path_factory.mktemp("rendered-express")
    return {combo_id(a): (a, render(template, root / combo_id(a), **a)) for a in COMBINATIONS}


def _files(project):
    return [p for p in project.rglob("*") if p.is_file()]


@pytest.mark.parametrize("combo", [combo_id(a) for a in COMBINATIONS])
def test_renders_clean_files_of_one_language(projects, combo):
    answers, project = projects[combo]
    ext, other = (".ts", ".js") if answers["stack"] == "express-ts" else (".js", ".ts")
    for path in _files(project):
        rel = str(path.relative_to(project))
        text = path.read_text()
        assert not JINJA_LEFTOVERS.search(text.replace("${{ github", "")), f"Jinja left in {rel}"
        assert not PYTHON_ONLY.search(rel), f"a Python file in an Express project: {rel}"
        if rel.startswith(("src/", "tests/")) and not rel.endswith(".json"):
            assert rel.endswith(ext), f"{rel} is not {ext}"
        if path.suffix in (".yml", ".yaml"):
            yaml.safe_load(text)
        elif path.suffix == ".json":
            json.loads(text)
        assert text == "" or (text.endswith("\n") and not text.endswith("\n\n")), f"untidy end of file: {rel}"
    assert (project / "tsconfig.json").exists() == (answers["stack"] == "express-ts")
    assert not list(project.glob(f"src/**/*{other}"))


@pytest.mark.parametrize("combo", [combo_id(a) for a in COMBINATIONS])
def test_only_chosen_services_appear(projects, combo):
    answers, project = projects[combo]
    compose = yaml.safe_load((project / "docker-compose.test.yml").read_text())
    assert set(compose["services"] or {}) == set(answers["services"])
    manifest = json.loads((project / "package.json").read_text())
    for service, words in SERVICE_WORDS.items():
        if service in answers["services"]:
            continue
        for path in _files(project):
            rel = path.relative_to(project)
            assert not words.search(str(rel)), f"{rel} names {service}"
            for number, line in enumerate(path.read_text().splitlines(), 1):
                assert not words.search(line), f"{rel}:{number} names unchosen {service}: {line.strip()}"
    assert ("jsonwebtoken" in manifest["dependencies"]) == answers["auth"]
    assert manifest["engines"]["node"] == ">=20.19"


@pytest.mark.parametrize("combo", [combo_id(a) for a in COMBINATIONS])
def test_ci_files_match_the_answer(projects, combo):
    answers, project = projects[combo]
    assert (project / ".github/workflows/tests.yml").exists() == (answers["ci"] == "github")
    assert (project / ".gitlab-ci.yml").exists() == (answers["ci"] == "gitlab")
    for ci_file in (project / ".github/workflows/tests.yml", project / ".gitlab-ci.yml"):
        if ci_file.exists():
            text = ci_file.read_text()
            assert "npm test" in text and "jest-junit" in text
            assert ("npm run typecheck" in text) == (answers["stack"] == "express-ts")


def test_node_version_sets_ci_only(template, tmp_path):
    project = render(template, tmp_path / "p", stack="express-js", node_version="20", ci="gitlab")

    assert "image: node:20-slim" in (project / ".gitlab-ci.yml").read_text()
    assert json.loads((project / "package.json").read_text())["engines"]["node"] == ">=20.19"


def test_ci_and_compose_files_are_valid_against_their_schemas(projects):
    by_schema = {"vendor.github-workflows": [], "vendor.gitlab-ci": [], "vendor.compose-spec": []}
    for _, project in projects.values():
        by_schema["vendor.compose-spec"].append(project / "docker-compose.test.yml")
        for schema, path in (
            ("vendor.github-workflows", project / ".github/workflows/tests.yml"),
            ("vendor.gitlab-ci", project / ".gitlab-ci.yml"),
        ):
            if path.exists():
                by_schema[schema].append(path)
    for schema, paths in by_schema.items():
        assert paths, schema
        run(["check-jsonschema", "--builtin-schema", schema, *map(str, paths)])
