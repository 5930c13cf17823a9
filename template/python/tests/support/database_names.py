"""Database names of a test run, derived from the database named in TEST_DATABASE_URL.

Two runs on one server never collide as long as their URLs name different databases;
every name stays under PostgreSQL's 63-byte identifier limit, which would otherwise
truncate it silently (and a hash at its end with it).
"""

import hashlib
import re

from tests.support.names import worker_id

MAX_IDENTIFIER_BYTES = 63
MAX_BASE_BYTES = 40


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
