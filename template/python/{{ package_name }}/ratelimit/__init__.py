"""Fixed-window rate limiting: at most `limit` hits per key per window.

A key's window starts at its first hit, so a burst is never split across two windows
by the clock.
"""

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: int  # seconds until the window resets; 0 when allowed


class RateLimiter(Protocol):
    def hit(self, key: str) -> Decision: ...


class MemoryRateLimiter:
    """Per-process limiter. Each app instance owns one, so tests never share its state."""

    def __init__(self, *, limit: int, window_seconds: int, clock: Callable[[], float] = time.monotonic):
        self.limit = limit
        self.window_seconds = window_seconds
        self._clock = clock
        self._windows: dict[str, tuple[float, int]] = {}  # key -> (window start, hits)
        self._lock = threading.Lock()

    def hit(self, key: str) -> Decision:
        now = self._clock()
        with self._lock:
            started, hits = self._windows.get(key, (now, 0))
            if now - started >= self.window_seconds:
                started, hits = now, 0
            hits += 1
            self._windows[key] = (started, hits)
        if hits <= self.limit:
            return Decision(True, 0)
        return Decision(False, max(1, math.ceil(started + self.window_seconds - now)))
