"""Mutation testing of the generated projects: how many small bugs their own suites catch.

For each stack it renders the project with every service, plants one small change (a mutant)
at a time in the app code (not the tests, not the migrations) with the standard tool of its
language, runs the project's own suite against the real services, and prints the kill rate:
mutmut for FastAPI, StrykerJS with its Jest runner for Express. Survivors are listed; those
mutation/equivalent.toml names as equivalent (no test could tell them from the original) are
listed with the reason, and the rate is also given without them.

Run: make mutation  (= .venv/bin/python -m mutation; needs the local services).
     make mutation MUTATION_ARGS="--stack fastapi --sample 20"
"""

import argparse
import json
import os
import re
import sys
import tempfile
import tomllib
from pathlib import Path

from mutation import node, python
from mutation.report import Mutant, Report
from tests.helpers import EVERY_SERVICE, MEASURED_STACKS, node_modules_for, render, snapshot

HERE = Path(__file__).resolve().parent
ANSWERS = EVERY_SERVICE
STACKS = MEASURED_STACKS
# Names of its own, and Redis databases 13 and up: never those of a test run or the benchmark.
URLS = {
    "TEST_DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/mutation",
    "TEST_REDIS_URL": "redis://127.0.0.1:6379/13",
    "TEST_AMQP_URL": "amqp://guest:guest@127.0.0.1:5672/%2F",
}
TARGET = 0.85


def equivalents(family: str) -> list[dict]:
    return tomllib.loads((HERE / "equivalent.toml").read_text()).get(family, [])


def why_equivalent(mutant: Mutant, known: list[dict]) -> str | None:
    for entry in known:
        if f"/{mutant.file}".endswith(f"/{entry['file']}") and re.search(entry["change"], mutant.change):
            return entry["reason"]
    return None


def mutate(template: Path, stack: str, root: Path, sample: int) -> Report:
    project = render(template, root / stack, lock=True, stack=stack, **ANSWERS)
    env = os.environ | URLS
    if stack == "fastapi":
        return python.run_mutmut(project, env, sample_percent=sample)
    node_modules_for(project)
    return node.run(project, stack, env, sample_percent=sample)


def print_report(report: Report, known: list[dict]) -> dict:
    alive = [m for m in report.mutants if m.status not in ("killed", "timeout", "error")]
    explained = {m: why_equivalent(m, known) for m in alive}
    equivalent = [m for m in alive if explained[m]]
    judged = len(report.mutants) - report.count("error")
    without = (judged - len(alive)) / (judged - len(equivalent)) if judged > len(equivalent) else 0.0
    print(f"\n== {report.stack}: {report.tool}, {report.seconds:.0f} s")
    print(
        f"   {judged} mutants: {report.count('killed')} killed, {report.count('timeout')} timed out, "
        f"{report.count('survived')} survived, {report.count('no coverage')} not reached by any test"
    )
    print(f"   kill rate {report.kill_rate:.1%}; without the {len(equivalent)} listed as equivalent {without:.1%}")
    for mutant in sorted(alive, key=lambda m: (m.file, m.line)):
        where = f"{mutant.file}:{mutant.line}" if mutant.line else mutant.file
        note = f"\n        equivalent: {explained[mutant]}" if explained[mutant] else ""
        print(f"   - {mutant.status}: {where}  {mutant.change}{note}")
    return {
        "stack": report.stack,
        "tool": report.tool,
        "seconds": round(report.seconds),
        "mutants": judged,
        "killed": report.count("killed", "timeout"),
        "equivalent": len(equivalent),
        "kill_rate": round(report.kill_rate, 4),
        "kill_rate_without_equivalent": round(without, 4),
        "survivors": [m.__dict__ | {"equivalent": explained[m]} for m in alive],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stack", choices=STACKS, action="append", help="one stack (default: both)")
    parser.add_argument(
        "--sample",
        type=int,
        default=100,
        metavar="PERCENT",
        help="mutate about this share of the code's mutants, the same ones on every run (10, 20, ... 100)",
    )
    parser.add_argument("--json", type=Path, help="also write the figures and survivors here")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        template = snapshot(Path(tmp) / "template")  # the working tree as it is, not its last tag
        for stack in args.stack or STACKS:
            family = "python" if stack == "fastapi" else "node"
            report = mutate(template, stack, Path(tmp), args.sample)
            results.append(print_report(report, equivalents(family)))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    below = [r["stack"] for r in results if r["kill_rate_without_equivalent"] < TARGET]
    if below:
        print(f"\nbelow the {TARGET:.0%} target: {', '.join(below)}", file=sys.stderr)
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
