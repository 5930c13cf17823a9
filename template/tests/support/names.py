"""Names of everything a test run creates, derived from the URLs it was given.

Two runs on one server never collide as long as their TEST_DATABASE_URLs name different
databases; the names stay under PostgreSQL's 63-byte identifier limit, which would
otherwise truncate them silently.
"""

import hashlib
import os
import re
import uuid

MAX_IDENTIFIER_BYTES = 63
MAX_BASE_BYTES = 40


def worker_id() -> str:
    """`gw0`, `gw1`, ... under pytest-xdist; `main` in a plain run."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def worker_number() -> int:
    digits = re.sub(r"\D", "", worker_id())
    return int(digits) if digits else 0


def checked(name: str) -> str:
    if len(name.encode()) > MAX_IDENTIFIER_BYTES:
        raise ValueError(f"{name!r} is longer than PostgreSQL's {MAX_IDENTIFIER_BYTES}-byte identifier limit")
    return name


def base_name(database: str) -> str:
    """The database name from the URL, made safe: [a-z0-9_], at most 40 bytes."""
    base = re.sub(r"[^a-z0-9_]", "_", database.lower()) or "test"
    if len(base) > MAX_BASE_BYTES:
        digest = hashlib.sha256(base.encode()).hexdigest()[:8]
        base = f"{base[: MAX_BASE_BYTES - 9]}_{digest}"
    return base


def template_database(base: str, digest: str) -> str:
    return checked(f"{base}_t{digest[:12]}")


def worker_database(base: str) -> str:
    return checked(f"{base}_{worker_id()}")


def migration_database(base: str) -> str:
    return checked(f"{base}_mig_{worker_id()}")


def unique_name(kind: str = "test") -> str:
    """Per-test names for queues, exchanges and keys: `test.gw1.3f2a9c1d`."""
    return f"{kind}.{worker_id()}.{uuid.uuid4().hex[:8]}"
