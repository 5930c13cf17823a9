"""Rewrite the OpenAPI snapshots the generated projects ship (template/shared/openapi/) from
real renders: each example app writes its own document (`make openapi` / `npm run openapi`),
and the project's name in it becomes the template expression again.

Run `make openapi-snapshots` after changing an endpoint of either example app (or merging a
branch that does): the generated contract tests compare each app with its snapshot.
"""

import json
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.helpers import REPO, SERVICE_KEYS, node_modules_for, render, run, snapshot, venv_for

FOLDER = REPO / "template" / "shared" / "openapi"
# A project name found nowhere else in a document, replaced by the expression that renders it.
PLACEHOLDER = "Snapshot Placeholder Title"
EXPRESSION = "{{ project_name | json_text }}"
# snapshot file -> the answers whose render writes it. Services do not change the documents:
# every generated suite compares its app with the snapshot it got (tests/test_generated_suites.py).
VARIANTS = {
    "fastapi-auth.json.jinja": {"stack": "fastapi", "auth": True},
    "fastapi.json.jinja": {"stack": "fastapi", "auth": False},
    "express-auth.json.jinja": {"stack": "express-ts", "auth": True},
    "express.json.jinja": {"stack": "express-ts", "auth": False},
}


def document_of(template: Path, root: Path, name: str, answers: dict) -> str:
    project = render(
        template, root / name, lock=True, project_name=PLACEHOLDER, services=list(SERVICE_KEYS), ci="none", **answers
    )
    if answers["stack"] == "fastapi":
        run([str(venv_for(project) / "bin" / "python"), "-m", "tests.support.openapi"], cwd=project)
    else:
        node_modules_for(project)
        run(["npm", "run", "--silent", "openapi"], cwd=project)
    return (project / "openapi.json").read_text(encoding="utf-8")


def as_template(document: str) -> str:
    title = json.dumps(PLACEHOLDER)
    assert document.count(title) == 1, f"expected the project name once in the document: {document[:300]}"
    for delimiter in ("{{", "{%", "{#"):
        assert delimiter not in document, f"{delimiter!r} in the document would be read as Jinja"
    return document.replace(title, EXPRESSION)


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        template = snapshot(root / "template")
        with ThreadPoolExecutor(max_workers=2) as pool:
            documents = {name: pool.submit(document_of, template, root, name, a) for name, a in VARIANTS.items()}
            for name, document in documents.items():
                (FOLDER / name).write_text(as_template(document.result()), encoding="utf-8")
                print(f"wrote {(FOLDER / name).relative_to(REPO)}")


if __name__ == "__main__":
    main()
