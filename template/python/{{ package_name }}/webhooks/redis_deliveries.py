"""Delivery ids in Redis: SET NX with an expiry, shared by every process of the app."""

from redis import Redis


class RedisDeliveryLog:
    def __init__(self, client: Redis, *, ttl_seconds: int, prefix: str) -> None:
        self.ttl_seconds = ttl_seconds
        self._client = client
        self._prefix = f"{prefix}webhook:"

    def remember(self, delivery_id: str) -> bool:
        # NX: only the first SET of an id succeeds (None otherwise), atomically across processes.
        return bool(self._client.set(self._prefix + delivery_id, 1, nx=True, ex=self.ttl_seconds))
