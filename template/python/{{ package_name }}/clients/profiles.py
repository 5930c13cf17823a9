"""Client of the external profile API, with its answers cached.

Every answer of the API maps to one outcome: a profile, None (it has none), or a
ProfileServiceError whose `status_code` is what our API answers instead. It catches only
the failures it knows, never broad exceptions: anything else, including a test's "this
request is not mocked", must reach the caller.
"""

from hashlib import sha256
from typing import Any

import httpx
from pydantic import BaseModel, ValidationError

from ..cache import Cache


class ProfileServiceError(Exception):
    """The profile API gave no usable answer; the message says why, for the API's caller."""

    status_code = 502

    def __init__(self, message: str, *, retry_after: str | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ProfileServiceUnavailable(ProfileServiceError):
    """Unreachable, failing (5xx) or rate-limiting us (429): worth retrying later."""

    status_code = 503


class ProfileServiceTimeout(ProfileServiceError):
    """No answer within the client's time limit."""

    status_code = 504


class RemoteProfile(BaseModel):
    """What the API must send: anything else is a malformed answer (502)."""

    display_name: str
    avatar_url: str | None = None


def _retry_after(response: httpx.Response) -> str | None:
    # Passed on only in its plain "seconds" form; anything else is dropped, not forwarded.
    value = response.headers.get("Retry-After", "")
    return value if value.isdigit() else None


class ProfileClient:
    def __init__(self, http: httpx.Client) -> None:
        self._http = http

    def fetch(self, email: str) -> dict[str, Any] | None:
        """The profile for `email`, or None when the API has none."""
        try:
            response = self._http.get(f"/v1/profiles/{sha256(email.encode()).hexdigest()}")
        except httpx.TimeoutException as error:
            raise ProfileServiceTimeout("Profile service timed out") from error
        except httpx.TransportError as error:
            raise ProfileServiceUnavailable("Profile service unavailable") from error
        status = response.status_code
        if status == 404:
            return None
        if status == 429:
            raise ProfileServiceUnavailable("Profile service is rate-limiting us", retry_after=_retry_after(response))
        if status >= 500:
            raise ProfileServiceUnavailable("Profile service unavailable", retry_after=_retry_after(response))
        if status != 200:
            raise ProfileServiceError(f"Profile service rejected the request ({status})")
        try:
            return RemoteProfile.model_validate_json(response.content).model_dump()
        except ValidationError:
            raise ProfileServiceError("Profile service sent a malformed profile") from None


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
        # Errors raise before this line: only real answers are cached.
        profile = self._client.fetch(email)
        # Store misses too (as {"profile": None}) so a missing profile is not asked for again.
        self._cache.set(key, {"profile": profile}, ttl_seconds=self._ttl)
        return profile


def create_http_client(base_url: str, *, timeout: float) -> httpx.Client:
    return httpx.Client(base_url=base_url, timeout=httpx.Timeout(timeout))
