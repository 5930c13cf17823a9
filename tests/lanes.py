"""`make test`: the template's whole suite, in two lanes that run side by side.

- suites: the generated projects' suites and their CI pipelines, on the local PostgreSQL,
  Redis and RabbitMQ (the modules in SUITES_LANE);
- others: everything else: render, questionnaire, prompts, lockfiles, the Testcontainers path
  (on a Docker engine and containers of its own), `copier update` across releases and the
  mutation sample (both also on the local services).

Together they select every collected test once (tests/conftest.py deselects the other lane's
tests). They share no name on the services: each lane is a `TEMPLATE_TEST_LANE` of its own
(database names and tool caches follow it) with Redis databases of its own (REDIS_OFFSET), and
a cache entry one lane fills, the other waits for (tests/helpers.py). The suites lane prints as
it runs; the other lane's output follows when both are done. Arguments are passed to both
lanes' pytest; the run fails if a lane fails, or if no lane ran a test.
"""

import os
import subprocess
import sys
import tempfile

SUITES_LANE = {"test_generated_suites", "test_ci_pipelines"}
# Added to TEMPLATE_TEST_REDIS_BASE: the generated suites use base + 1..2 (Python) and
# base + 9..10 (Node); the mutation sample 13..15, after the others lane's Node suites at 12..13.
REDIS_OFFSET = {"suites": 0, "others": 3}
NO_TESTS_COLLECTED = 5


def lane_of(module_name: str) -> str:
    return "suites" if module_name in SUITES_LANE else "others"


def lane_env(lane: str) -> dict[str, str]:
    base = int(os.environ.get("TEMPLATE_TEST_REDIS_BASE", "0")) + REDIS_OFFSET[lane]
    return os.environ | {"TEMPLATE_TEST_LANE": lane, "TEMPLATE_TEST_REDIS_BASE": str(base)}


def main(args: list[str]) -> int:
    pytest = [sys.executable, "-m", "pytest", *args]
    with tempfile.TemporaryFile("w+") as others_log:
        lanes = {
            "others": subprocess.Popen(pytest, env=lane_env("others"), stdout=others_log, stderr=subprocess.STDOUT),
            "suites": subprocess.Popen(pytest, env=lane_env("suites")),
        }
        codes = {name: lane.wait() for name, lane in lanes.items()}
        others_log.seek(0)
        print(f"\n{'═' * 30} lane: others {'═' * 30}", flush=True)
        sys.stdout.write(others_log.read())

    print(f"\nlanes: {', '.join(f'{name} exited {code}' for name, code in codes.items())}")
    if all(code == NO_TESTS_COLLECTED for code in codes.values()):
        return NO_TESTS_COLLECTED
    return max((code for code in codes.values() if code != NO_TESTS_COLLECTED), default=0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
