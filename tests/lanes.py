"""`make test`: the template's whole suite, in two lanes that run side by side.

- services: the generated projects' suites and CI pipelines, on the local PostgreSQL, Redis and
  RabbitMQ (`-m "suite and not docker"`);
- containers: the Testcontainers path, on its own Docker engine and containers, and every test
  that runs no generated suite: render, questionnaire, prompts, update, lockfiles
  (`-m "docker or not suite"`).

Together they select every test once. They share no service and no name (each lane is a
`TEMPLATE_TEST_LANE` of its own: database names and tool caches follow it), and a cache entry
one lane fills, the other waits for (tests/helpers.py). The services lane prints as it runs;
the containers lane's output follows when both are done. Arguments are passed to both lanes'
pytest; the run fails if a lane fails, or if no lane ran a test.
"""

import os
import subprocess
import sys
import tempfile

LANES = {"services": "suite and not docker", "containers": "docker or not suite"}
NO_TESTS_COLLECTED = 5


def main(args: list[str]) -> int:
    pytest = [sys.executable, "-m", "pytest"]
    with tempfile.TemporaryFile("w+") as containers_log:
        lanes = {
            "containers": subprocess.Popen(
                [*pytest, "-m", LANES["containers"], *args],
                env=os.environ | {"TEMPLATE_TEST_LANE": "containers"},
                stdout=containers_log,
                stderr=subprocess.STDOUT,
            ),
            "services": subprocess.Popen(
                [*pytest, "-m", LANES["services"], *args], env=os.environ | {"TEMPLATE_TEST_LANE": "services"}
            ),
        }
        codes = {name: lane.wait() for name, lane in lanes.items()}
        containers_log.seek(0)
        print(f"\n{'═' * 30} lane: containers {'═' * 30}", flush=True)
        sys.stdout.write(containers_log.read())

    print(f"\nlanes: {', '.join(f'{name} exited {code}' for name, code in codes.items())}")
    if all(code == NO_TESTS_COLLECTED for code in codes.values()):
        return NO_TESTS_COLLECTED
    return max((code for code in codes.values() if code != NO_TESTS_COLLECTED), default=0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
