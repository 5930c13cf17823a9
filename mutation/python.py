"""mutmut on a generated FastAPI project: the app package is mutated, the project's own suite
(minus the property-based `fuzz` tests) judges each mutant against the real services."""

import json
import os
import subprocess
import time
from pathlib import Path

from mutation.report import Mutant, Report
from tests.helpers import CACHE, run, venv_for

MUTMUT = "mutmut==3.8.1"
HERE = Path(__file__).resolve().parent

CONFIG = """
[tool.mutmut]
source_paths = ["{package}/"]
also_copy = ["migrations/", "alembic.ini", ".env.test", "openapi.json"]
# Pact's mock server runs on threads of its native core, which mutmut's forked children
# cannot share (the run dies of SIGSEGV): the contract test stays out, the client's other tests judge it.
pytest_add_cli_args = ["-p", "mutmut_plugin", "-m", "not fuzz", "-p", "no:cacheprovider", "--ignore-glob=*_pact.py"]
"""

# mutmut's statuses, as the report names them.
STATUSES = {"killed": "killed", "survived": "survived", "no tests": "no coverage", "timeout": "timeout"}


def run_mutmut(project: Path, env: dict[str, str], *, sample_percent: int = 100) -> Report:
    venv = venv_for(project, extra=(MUTMUT,))  # mutmut runs the suite inside its environment
    package = _answers(project)["package_name"]
    with (project / "pyproject.toml").open("a") as pyproject:
        pyproject.write(CONFIG.format(package=package))
    env = env | {
        "PYTHONPATH": str(HERE),  # mutmut_plugin
        "MUTATION_SLOTS_DIR": str(CACHE / "locks" / "mutmut-slots"),
        "PATH": f"{venv / 'bin'}:{env['PATH']}",
    }
    mutmut = [str(venv / "bin" / "mutmut")]
    # A sample: the mutants whose number (counted per function, from 1) ends in one of the
    # first n digits of 1234567890 (every function has a mutant 1).
    digits = "1234567890"[: max(1, sample_percent // 10)]
    names = [] if sample_percent >= 100 else [f"*__mutmut_*{d}" for d in digits]
    started = time.monotonic()
    # Each child a slot of its own (mutmut_plugin): two at most, as the Redis databases the
    # command may use (13 and up, of the 16 a server has) hold two workers.
    result = subprocess.run(
        [*mutmut, "run", "--max-children", str(min(2, os.cpu_count() or 1)), *names],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.monotonic() - started
    if result.returncode != 0:
        raise RuntimeError(
            f"mutmut run failed ({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    listing = run([str(venv / "bin" / "python"), str(HERE / "mutmut_results.py")], cwd=project, env=env)
    mutants = [_mutant(json.loads(line)) for line in listing.stdout.splitlines()]
    if names:
        mutants = [m for m in mutants if m.status != "not checked"]
    return Report(stack="fastapi", tool=MUTMUT.replace("==", " "), mutants=mutants, seconds=seconds)


def _answers(project: Path) -> dict:
    import yaml

    return yaml.safe_load((project / ".copier-answers.yml").read_text())


def _mutant(record: dict) -> Mutant:
    removed, added = [], []
    for line in record["diff"].splitlines():
        if line.startswith("-") and not line.startswith("---"):
            removed.append(line[1:].strip())
        elif line.startswith("+") and not line.startswith("+++"):
            added.append(line[1:].strip())
    change = f"{' / '.join(removed)}  ->  {' / '.join(added) or '(removed)'}" if record["diff"] else record["name"]
    return Mutant(
        file=record["file"],
        line=0,
        change=change,
        status=STATUSES.get(record["status"], record["status"]),
    )
