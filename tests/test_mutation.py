"""Mutation testing in CI: a fixed tenth of each stack's mutants must be caught by the generated
suites (`make mutation` runs them all; README, "Mutation testing")."""

import json
import sys

import pytest

from tests.helpers import REPO, run

pytestmark = pytest.mark.suite


# Two mutation runs of about 100 mutants each, every mutant a run of the suite: longer than the
# 15 minutes one test may take elsewhere.
@pytest.mark.timeout(1800)
def test_the_generated_suites_catch_a_sample_of_planted_bugs(tmp_path):
    figures_file = tmp_path / "mutation.json"

    result = run([sys.executable, "-m", "mutation", "--sample", "10", "--json", str(figures_file)], cwd=REPO, check=False)

    figures = {entry["stack"]: entry for entry in json.loads(figures_file.read_text())}
    assert set(figures) == {"fastapi", "express-ts"}, result.stdout
    for stack, entry in figures.items():
        assert entry["mutants"] >= 30, f"{stack}: the sample is too small to mean anything"
        assert entry["kill_rate_without_equivalent"] >= 0.85, (stack, entry["survivors"])
    assert result.returncode == 0, result.stdout + result.stderr
