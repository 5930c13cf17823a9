"""The generated CI files, run: every job's own steps on this machine against the local
services (tests/pipeline.py), for each stack with every service and with none, on GitHub
Actions and GitLab CI, in one integration job and in three shards.

Each stack and service choice runs twice: in one job on one CI, in three shards on the other
(with every service: one job on GitHub, shards on GitLab; with none, the other way round). So
every stack runs every CI with and without services, and both CIs' sharding, at half the
cost of running each pipeline both ways. The two projects differ in their CI file only, which
no test reads, so they have the same tests: the three shards together must run every
integration test exactly once (their JUnit reports against the one-job run's), and the
coverage job must combine the pieces and hold the threshold: it passes as generated and fails
once the threshold is out of reach.
"""

import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from extensions.context import CI_SETUP
from tests.helpers import (
    CACHE,
    ENV_VARS,
    MYPY_CACHE,
    SERVICE_KEYS,
    STACKS,
    node_env,
    project_env,
    render,
    run,
    venv_for,
    write_lockfile,
)
from tests.pipeline import Pipeline, Runner, run_github, run_gitlab

pytestmark = pytest.mark.suite

RUN = {"github": run_github, "gitlab": run_gitlab}
JOBS = ["lint", "unit", "integration", "coverage"]
# The threshold, raised out of reach: (file, as generated, raised), by stack family.
OUT_OF_REACH = {
    "python": ("pyproject.toml", "fail_under = 70", "fail_under = 100"),
    "node": ("jest.config.js", "lines: 70,", "lines: 100,"),
}
BELOW_THRESHOLD = {"python": "is less than fail-under=100", "node": "Coverage below the threshold"}
# npm ci unpacks ~450 packages (~20 s) in every job, and every job's first imports compile the
# virtualenv's bytecode (~10 s): each install runs once per lockfile (tests/pipeline.py).
SHARED_INSTALLS = {
    CI_SETUP["node"].install: (CI_SETUP["node"].lockfile, "node_modules"),
    CI_SETUP["python"].install: (CI_SETUP["python"].lockfile, ".venv"),
}
# (services, the one-job run's CI, the sharded run's CI)
PAIRINGS = [(list(SERVICE_KEYS), "github", "gitlab"), ([], "gitlab", "github")]
CASES = [
    pytest.param(stack, services, whole, sharded, id=f"{stack}-{'+'.join(services) or 'no-services'}")
    for stack in STACKS
    for services, whole, sharded in PAIRINGS
]


def answers_for(stack: str, services: list[str], ci: str, shards: int) -> dict:
    # The runtime of this machine: CI would install the answer's, here jobs use what is here.
    runtime = {"python_version": "3.11"} if STACKS[stack][0] == "python" else {}
    return {"stack": stack, "services": services, "ci": ci, "ci_shards": shards, "min_coverage": 70, **runtime}


def service_env(answers: dict) -> dict[str, str]:
    """The local services, on a database of the pipeline's own (one for any number of shards:
    a one-job and a sharded pipeline then share the jobs that do not depend on it)."""
    answers = {key: value for key, value in answers.items() if key != "ci_shards"}
    env = node_env(answers) if STACKS[answers["stack"]][0] == "node" else project_env(answers, answers["services"])
    return {ENV_VARS[key]: env[ENV_VARS[key]] for key in answers["services"]}


def pipeline_runner(template: Path, work: Path, answers: dict) -> Runner:
    project = render(template, work / "project", **answers)
    write_lockfile(project, STACKS[answers["stack"]][0])
    cache = CACHE / "ci-pipelines"
    return Runner(project, work / "run", service_env(answers), cache, installs=SHARED_INSTALLS, machine_env=MYPY_CACHE)


def junit_cases(pipeline: Pipeline, pattern: str) -> Counter:
    """Test cases in the pipeline's JUnit reports matching `pattern`, by suite, class and name."""
    cases: Counter = Counter()
    for report in sorted(pipeline.artifacts.glob(f"*/reports/{pattern}")):
        for suite in ET.parse(report).getroot().iter("testsuite"):
            for case in suite.iter("testcase"):
                cases[(suite.get("name"), case.get("classname"), case.get("name"))] += 1
    return cases


def check(pipeline: Pipeline, answers: dict, shards: int) -> None:
    print(pipeline.report())
    assert pipeline.passed, pipeline.failures()
    assert list(dict.fromkeys(job.definition for job in pipeline.jobs)) == JOBS
    assert len(pipeline.instances("integration")) == shards
    for job in pipeline.jobs:
        expected = answers["services"] if job.definition == "integration" else []
        assert sorted(job.services) == sorted(expected), f"{job.name} runs with {job.services}"
    if answers["ci"] == "gitlab":
        [coverage] = pipeline.instances("coverage")
        assert coverage.coverage, "GitLab's coverage pattern finds no total in the coverage job's log"


@pytest.mark.parametrize(("stack", "services", "whole_ci", "sharded_ci"), CASES)
def test_the_pipeline_passes_in_one_job_and_in_three_shards_that_run_each_test_once(
    template, tmp_path, stack, services, whole_ci, sharded_ci
):
    whole_answers = answers_for(stack, services, whole_ci, 1)
    sharded_answers = answers_for(stack, services, sharded_ci, 3)
    whole = RUN[whole_ci](pipeline_runner(template, tmp_path / "whole", whole_answers))
    check(whole, whole_answers, 1)
    runner = pipeline_runner(template, tmp_path / "sharded", sharded_answers)
    sharded = RUN[sharded_ci](runner)
    check(sharded, sharded_answers, 3)

    everything = junit_cases(whole, "integration-1.xml")
    shards = [junit_cases(sharded, f"integration-{shard}.xml") for shard in (1, 2, 3)]
    assert everything, "the one-job run reported no integration tests"
    assert sum(shards, Counter()) == everything, "the shards did not run exactly the one-job run's tests"
    assert max(sum(shards, Counter()).values()) == 1, "a test ran in more than one shard"
    assert sum(1 for shard in shards if shard) >= 2, "one shard ran everything"

    # The coverage job holds the threshold: raised out of reach, the same pieces fail it.
    path, generated, raised = OUT_OF_REACH[STACKS[stack][0]]

    def raise_threshold(job: str, workspace: Path) -> None:
        text = (workspace / path).read_text()
        assert generated in text, f"{path} no longer says {generated!r}"
        (workspace / path).write_text(text.replace(generated, raised))

    runner.prepare = raise_threshold
    [failed] = RUN[sharded_ci](runner, only={"coverage"}).jobs
    assert not failed.passed, "the coverage job passed a threshold of 100%"
    assert BELOW_THRESHOLD[STACKS[stack][0]] in failed.output


@pytest.mark.parametrize("stack", STACKS)
def test_a_shard_that_gets_no_tests_passes(generated, stack):
    """More shards than tests (pytest-split's groups, Jest's files) leave some shards empty."""
    answers = {"stack": stack, "services": [], "ci": "github", "auth": True}
    project = generated(answers)
    family = STACKS[stack][0]
    env = project_env(answers, []) | ({"JEST_ARGS": "--silent"} if family == "node" else {"PYTEST_ARGS": "-k cors"})
    variables = [f"VENV={venv_for(project)}"] if family == "python" else []

    def shard(number: int, total: int) -> str:
        command = ["make", "-C", str(project), "ci-integration", f"SHARD={number}", f"SHARDS={total}", *variables]
        return run(command, env=env).stdout + run(["cat", f"reports/integration-{number}.xml"], cwd=project).stdout

    first, last = shard(1, 32), shard(32, 32)
    assert re.search(r'tests="[1-9]', first), first[-2000:]
    assert re.search(r'tests="0"', last), last[-2000:]
