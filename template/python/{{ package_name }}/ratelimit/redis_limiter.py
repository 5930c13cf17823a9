"""The rate limiter in Redis: one counter per client and window, shared by all app processes."""

from redis import Redis

from . import Decision


class RedisRateLimiter:
    def __init__(self, client: Redis, *, limit: int, window_seconds: int, prefix: str) -> None:
        self.limit = limit
        self.window_seconds = window_seconds
        self._client = client
        self._prefix = f"{prefix}ratelimit:"

    def hit(self, key: str) -> Decision:
        counter = self._prefix + key
        pipe = self._client.pipeline()
        pipe.incr(counter)
        # NX: the first hit of a window starts its clock; later hits leave it alone.
        pipe.expire(counter, self.window_seconds, nx=True)
        pipe.ttl(counter)
        hits, _, ttl = pipe.execute()
        if hits <= self.limit:
            return Decision(True, 0)
        return Decision(False, max(1, ttl))
