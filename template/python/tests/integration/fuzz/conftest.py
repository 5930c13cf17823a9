"""Property-based tests: Hypothesis makes the inputs, a bounded number per test.

Locally every run tries new examples (and replays the failures it found before, from
.hypothesis/); in CI (`CI` set) the examples are fixed, so a red build is reproducible.
Leave these tests out of a quick loop with `-m "not fuzz"`.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "fuzz",
    max_examples=30,
    deadline=None,  # a first request may pay for a connection: time is bounded by the example count
    # The fixtures (a client, a rolled-back transaction) are per test, shared by its examples on purpose.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=bool(os.environ.get("CI")),
)
settings.load_profile("fuzz")
