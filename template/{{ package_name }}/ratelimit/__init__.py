"""Fixed-window rate limiting: at most `limit` hits per key per window."""

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
        self._windows: dict[str, tuple[int, int]] = {}  # key -> (window index, hits)
        self._lock = threading.Lock()

    def hit(self, key: str) -> Decision:
        now = self._clock()
        window = int(now // self.window_seconds)
        with self._lock:
            current, hits = self._windows.get(key, (window, 0))
            hits = hits + 1 if current == window else 1
            self._windows[key] = (window, hits)
        if hits <= self.limit:
            return Decision(True, 0)
        return Decision(False, max(1, math.ceil((window + 1) * self.window_seconds - now)))
