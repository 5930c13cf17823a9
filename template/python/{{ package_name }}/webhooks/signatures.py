"""The profile service signs each delivery: HMAC-SHA256 over `<id>.<timestamp>.<raw body>`.

Headers: `Webhook-Id`, `Webhook-Timestamp` (Unix seconds), `Webhook-Signature: v1=<hex>`.
The id is signed too, so a captured delivery cannot be replayed under a new id.
"""

import hashlib
import hmac
import re

_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,100}$")
_TIMESTAMP = re.compile(r"^[0-9]{1,12}$")  # bounded: no huge numbers to parse
_SIGNATURE = re.compile(r"^v1=([0-9a-f]{64})$")


class InvalidSignature(Exception):
    """The delivery is not from the profile service, or not from now; the message says which."""


def sign(secret: str, delivery_id: str, timestamp: int, body: bytes) -> str:
    """The `Webhook-Signature` header value for a delivery (what the sender computes)."""
    payload = f"{delivery_id}.{timestamp}.".encode() + body
    return "v1=" + hmac.new(secret.encode(), payload, hashlib.sha256).hexdigest()


def verify(
    secret: str,
    *,
    delivery_id: str | None,
    timestamp: str | None,
    signature: str | None,
    body: bytes,
    now: float,
    tolerance_seconds: int,
) -> str:
    """The delivery id of a genuine, fresh delivery; raises InvalidSignature otherwise."""
    if delivery_id is None or timestamp is None or signature is None:
        raise InvalidSignature("Missing webhook signature headers")
    match = _SIGNATURE.match(signature)
    if not _ID.match(delivery_id) or not _TIMESTAMP.match(timestamp) or match is None:
        raise InvalidSignature("Malformed webhook signature headers")
    expected = sign(secret, delivery_id, int(timestamp), body)
    if not hmac.compare_digest(expected.encode(), signature.encode()):
        raise InvalidSignature("Invalid webhook signature")
    if abs(now - int(timestamp)) > tolerance_seconds:
        raise InvalidSignature("Webhook timestamp outside the tolerance window")
    return delivery_id
