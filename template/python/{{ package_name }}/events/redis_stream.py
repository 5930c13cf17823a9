"""The activity stream in Redis Streams: the app appends every event it publishes, and
consumer groups read it, each entry handled by one consumer of a group and acknowledged.

An entry a consumer read but never acknowledged (it crashed, or its handler failed) stays
pending; after `min_idle_ms` another consumer of the group claims it (XAUTOCLAIM).
"""

import json
import logging
from collections.abc import Callable
from typing import Any, cast

from redis import Redis
from redis.exceptions import ResponseError

from . import EventPublisher

StreamHandler = Callable[[str, dict[str, Any]], None]
Entry = tuple[bytes, dict[bytes, bytes]]

logger = logging.getLogger(__name__)


class ActivityStream:
    """Appends events to one stream, trimmed to about `max_length` entries (MAXLEN ~)."""

    def __init__(self, client: Redis, key: str, *, max_length: int) -> None:
        self.client = client
        self.key = key
        self.max_length = max_length

    def append(self, name: str, payload: dict[str, Any]) -> str:
        fields = {"event": name, "payload": json.dumps(payload)}
        entry_id = self.client.xadd(self.key, fields, maxlen=self.max_length, approximate=True)  # type: ignore[arg-type]
        return entry_id.decode() if isinstance(entry_id, bytes) else str(entry_id)


class StreamingPublisher:
    """Appends each event to the activity stream, then hands it to the publisher it wraps."""

    def __init__(self, inner: EventPublisher, stream: ActivityStream) -> None:
        self.inner = inner
        self.stream = stream

    def publish(self, name: str, payload: dict[str, Any]) -> None:
        self.stream.append(name, payload)
        self.inner.publish(name, payload)

    def close(self) -> None:
        self.inner.close()


class StreamConsumer:
    """One named consumer of a consumer group: reads new entries, hands each to `handler`
    and acknowledges it when the handler returns. A failing handler leaves it pending."""

    def __init__(
        self,
        stream: ActivityStream,
        *,
        group: str,
        consumer: str,
        handler: StreamHandler,
        min_idle_ms: int,
    ) -> None:
        self.client = stream.client
        self.key = stream.key
        self.group = group
        self.consumer = consumer
        self.handler = handler
        self.min_idle_ms = min_idle_ms

    def ensure_group(self) -> None:
        """Creates the group (and the stream) if missing; safe to call from every consumer."""
        try:
            self.client.xgroup_create(self.key, self.group, id="0", mkstream=True)
        except ResponseError as error:
            if "BUSYGROUP" not in str(error):
                raise

    def read(self, *, count: int = 10, block_ms: int | None = None) -> int:
        """Handles entries never delivered to this group before; returns how many succeeded."""
        response = self.client.xreadgroup(self.group, self.consumer, {self.key: ">"}, count=count, block=block_ms)
        streams = cast("list[tuple[bytes, list[Entry]]] | None", response)
        return self._handle([entry for _key, entries in streams or [] for entry in entries])

    def claim_stale(self, *, count: int = 10) -> int:
        """Takes over entries pending longer than `min_idle_ms` on any consumer and handles them."""
        reply = self.client.xautoclaim(
            self.key, self.group, self.consumer, min_idle_time=self.min_idle_ms, start_id="0-0", count=count
        )
        return self._handle(cast("list[Entry]", reply[1]))

    def _handle(self, entries: list[Entry]) -> int:
        handled = 0
        for entry_id, fields in entries:
            if not fields:
                continue  # trimmed away (MAXLEN) while pending: nothing left to handle
            try:
                self.handler(fields[b"event"].decode(), json.loads(fields[b"payload"]))
            except Exception:
                # Left pending: this or another consumer claims it again after min_idle_ms.
                logger.exception("%s: handling %s failed", self.consumer, entry_id.decode())
                continue
            self.client.xack(self.key, self.group, entry_id)
            handled += 1
        return handled
