"""A small JSON cache with per-entry time-to-live."""

import json
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol


class Cache(Protocol):
    def get(self, key: str) -> Any | None: ...

    def set(self, key: str, value: Any, *, ttl_seconds: float) -> None: ...


class MemoryCache:
    """Process-local cache; `clock` is injectable so expiry is testable without sleeping."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._entries: dict[str, tuple[float, str]] = {}
        self._clock = clock
        self._lock = threading.Lock()

    def get(self, key: str) -> Any | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            expires_at, payload = entry
            if self._clock() >= expires_at:
                del self._entries[key]
                return None
            return json.loads(payload)

    def set(self, key: str, value: Any, *, ttl_seconds: float) -> None:
        with self._lock:
            self._entries[key] = (self._clock() + ttl_seconds, json.dumps(value))
