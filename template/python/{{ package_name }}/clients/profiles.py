"""Client of the external profile API, with its answers cached.

It catches only transport errors (and 5xx), never broad exceptions: anything else,
including a test's "this request is not mocked", must reach the caller.
"""

from hashlib import sha256
from typing import Any

import httpx

from ..cache import Cache


class ProfileServiceUnavailable(Exception):
    """The profile API could not be reached or failed."""


class ProfileClient:
    def __init__(self, http: httpx.Client) -> None:
        self._http = http

    def fetch(self, email: str) -> dict[str, Any] | None:
        """The profile for `email`, or None when the API has none."""
        try:
            response = self._http.get(f"/v1/profiles/{sha256(email.encode()).hexdigest()}")
        except httpx.TransportError as error:
            raise ProfileServiceUnavailable(str(error)) from error
        if response.status_code == 404:
            return None
        if response.status_code >= 500:
            raise ProfileServiceUnavailable(f"profile API answered {response.status_code}")
        response.raise_for_status()
        profile: dict[str, Any] = response.json()
        return profile


class CachedProfiles:
    """Looks profiles up through the cache; a miss asks the API and stores its answer."""

    def __init__(self, client: ProfileClient, cache: Cache, *, ttl_seconds: float) -> None:
        self._client = client
        self._cache = cache
        self._ttl = ttl_seconds

    def get(self, email: str) -> dict[str, Any] | None:
        key = f"profile:{email}"
        cached = self._cache.get(key)
        if cached is not None:
            hit: dict[str, Any] | None = cached["profile"]
            return hit
        profile = self._client.fetch(email)
        # Store misses too (as {"profile": None}) so a missing profile is not asked for again.
        self._cache.set(key, {"profile": profile}, ttl_seconds=self._ttl)
        return profile


def create_http_client(base_url: str, *, timeout: float) -> httpx.Client:
    return httpx.Client(base_url=base_url, timeout=httpx.Timeout(timeout))
