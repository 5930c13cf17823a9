"""The cache in Redis: shared by every process of the app, expiry kept by Redis."""

import json
from typing import Any

from redis import Redis


class RedisCache:
    def __init__(self, client: Redis, *, prefix: str) -> None:
        self._client = client
        self._prefix = f"{prefix}cache:"

    def get(self, key: str) -> Any | None:
        payload = self._client.get(self._prefix + key)
        return None if payload is None else json.loads(payload)

    def set(self, key: str, value: Any, *, ttl_seconds: float) -> None:
        self._client.set(self._prefix + key, json.dumps(value), px=max(1, int(ttl_seconds * 1000)))
