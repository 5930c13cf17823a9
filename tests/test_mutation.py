"""Mutation testing in CI: a fixed sample of each stack's mutants must be caught by the generated
suites (`make mutation` runs them all; README, "Mutation testing")."""

import json
import sys

import pytest

from tests.helpers import REPO, run

pytestmark = pytest.mark.suite

# Percent of each stack's mutants, the same ones every run: about 40 mutants each (137 for
# FastAPI, whose sampler goes by tenths). mutmut forks an imported suite (~0.6 s a mutant);
# StrykerJS runs Jest files afresh (~5 s a mutant), so Express's twentieth takes ~3.5 minutes.
SAMPLES = {"fastapi": 10, "express-ts": 5}


# Every mutant a run of the suite: more than the 15 minutes one test may take elsewhere.
@pytest.mark.timeout(1800)
@pytest.mark.parametrize("stack", SAMPLES)
def test_the_generated_suite_catches_a_sample_of_planted_bugs(tmp_path, stack):
    figures_file = tmp_path / "mutation.json"
    command = [sys.executable, "-m", "mutation", "--stack", stack, "--sample", str(SAMPLES[stack])]

    result = run([*command, "--json", str(figures_file)], cwd=REPO, check=False)

    [entry] = json.loads(figures_file.read_text())
    assert entry["stack"] == stack, result.stdout
    assert entry["mutants"] >= 30, f"{stack}: the sample is too small to mean anything"
    assert entry["kill_rate_without_equivalent"] >= 0.85, entry["survivors"]
    assert result.returncode == 0, result.stdout + result.stderr
