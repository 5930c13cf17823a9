"""JWT access tokens: who the caller is, signed with the app's secret."""

from datetime import UTC, datetime, timedelta

import jwt

_ALGORITHM = "HS256"


class InvalidTokenError(Exception):
    """The token is missing, malformed, expired or signed with another key."""


def create_access_token(user_id: int, *, secret: str, ttl_seconds: int) -> str:
    now = datetime.now(UTC)
    claims = {"sub": str(user_id), "iat": now, "exp": now + timedelta(seconds=ttl_seconds)}
    return jwt.encode(claims, secret, algorithm=_ALGORITHM)


def read_access_token(token: str, *, secret: str) -> int:
    """Return the user id the token was issued for."""
    try:
        claims = jwt.decode(token, secret, algorithms=[_ALGORITHM], options={"require": ["exp", "sub"]})
        return int(claims["sub"])
    except (jwt.PyJWTError, ValueError) as error:
        raise InvalidTokenError(str(error)) from error
