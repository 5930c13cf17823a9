"""The Express JavaScript sources are generated from the TypeScript ones (`make js`):
they must be exactly what the generator writes today, so the two never drift apart."""

import subprocess

from tests.helpers import REPO, snapshot, tree_differences, typescript_modules


def test_javascript_sources_match_the_typescript_ones(tmp_path):
    copy = snapshot(tmp_path / "repo")

    subprocess.run(
        ["node", str(copy / "tools/ts-to-js.js")],
        env={"NODE_PATH": str(typescript_modules()), "PATH": "/usr/local/bin:/usr/bin:/bin"},
        check=True,
        capture_output=True,
    )

    assert tree_differences(REPO / "template", copy / "template") == [], "run `make js` and commit the result"
