"""Incoming webhooks from the profile service: signed by it, fresh, and handled once.

A delivery id is remembered for twice the timestamp tolerance: a delivery stamped up to one
tolerance in the future stays acceptable for two tolerances after it arrives.
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol


class DeliveryLog(Protocol):
    def remember(self, delivery_id: str) -> bool:
        """True the first time `delivery_id` is seen within the window, False for a replay."""
        ...


class MemoryDeliveryLog:
    """Per-process log, bounded: past `max_entries` the oldest ids are forgotten early."""

    def __init__(
        self, *, ttl_seconds: float, max_entries: int = 10_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl_seconds = ttl_seconds
        self.max_entries = max_entries
        self._clock = clock
        self._expiry: OrderedDict[str, float] = OrderedDict()  # oldest first: all share one ttl
        self._lock = threading.Lock()

    def remember(self, delivery_id: str) -> bool:
        now = self._clock()
        with self._lock:
            while self._expiry and next(iter(self._expiry.values())) <= now:
                self._expiry.popitem(last=False)
            if delivery_id in self._expiry:
                return False
            if len(self._expiry) >= self.max_entries:
                self._expiry.popitem(last=False)
            self._expiry[delivery_id] = now + self.ttl_seconds
            return True
