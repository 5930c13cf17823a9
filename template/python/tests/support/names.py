"""Names of what a test creates, unique per worker (and per test where it matters)."""

import os
import re
import uuid


def worker_id() -> str:
    """`gw0`, `gw1`, ... under pytest-xdist; `main` in a plain run."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def worker_number() -> int:
    digits = re.sub(r"\D", "", worker_id())
    return int(digits) if digits else 0


def unique_name(kind: str = "test") -> str:
    """Per-test names for queues, exchanges and keys: `test.gw1.3f2a9c1d`."""
    return f"{kind}.{worker_id()}.{uuid.uuid4().hex[:8]}"
