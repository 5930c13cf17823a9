"""The Express JavaScript sources are generated from the TypeScript ones (`make js`):
they must be exactly what the generator writes today, so the two never drift apart."""

import re
import subprocess
from pathlib import Path

import pytest

from tests.helpers import REPO, render, snapshot, tree_differences, ts_blank_space_modules

NODE = REPO / "template" / "node"
HEADER = re.compile(r"\{#- Generated from (\S+) by tools/ts-to-js\.js: .* -#\}\n")


def convert(repo: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["node", str(repo / "tools/ts-to-js.js")],
        env={"NODE_PATH": str(ts_blank_space_modules()), "PATH": "/usr/local/bin:/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


def generated_files(root: Path) -> list[Path]:
    return sorted(p for d in ("src", "tests") for p in (root / d).rglob("*") if re.search(r"\.js(\.jinja)?$", p.name))


def test_javascript_sources_match_the_typescript_ones(tmp_path):
    copy = snapshot(tmp_path / "repo")

    result = convert(copy)

    assert result.returncode == 0, result.stderr
    assert tree_differences(NODE, copy / "template/node") == [], "run `make js` and commit the result"


def test_each_javascript_file_is_marked_generated_from_the_typescript_beside_it():
    for js in generated_files(NODE):
        assert js.name.endswith(".js.jinja"), f"{js}: generated files are .js.jinja, so Copier drops their header"
        header = HEADER.match(js.read_text())
        assert header, f"{js}: no generator header on its first line"
        assert (js.parent / header[1]).exists(), f"{js}: its source {header[1]} is gone"


def test_jinja_syntax_in_a_plain_typescript_file_is_refused(tmp_path):
    copy = snapshot(tmp_path / "repo")
    (copy / "template/node/src/passwords.ts").write_text('export const braces = "{{ not jinja }}";\n')

    result = convert(copy)

    assert result.returncode != 0
    assert "passwords.ts" in result.stderr


@pytest.mark.parametrize("services", [[], ["postgres", "redis", "rabbitmq"]], ids=["no-services", "all-services"])
def test_rendered_javascript_reads_as_written_by_hand(tmp_path, services):
    project = render(snapshot(tmp_path / "repo"), tmp_path / "project", stack="express-js", services=services)

    files = generated_files(project)
    assert files and all(p.suffix == ".js" for p in files)
    for js in files:
        text = js.read_text()
        assert "tools/ts-to-js.js" not in text, f"{js}: the generator header reached the project"
        assert "\n\n\n" not in text and not text.startswith("\n"), f"{js}: blank lines left by Jinja"
        assert text.endswith("\n") and not text.endswith("\n\n"), f"{js}: must end with exactly one newline"
        assert not re.search(r"^\s*(catch|finally|else)\b", text, re.MULTILINE), f"{js}: `}} catch` split"
