"""Incoming webhooks: the profile service tells us a user's profile changed.

Answers: 200 for a genuine delivery, also for a replay of one already handled (marked
`duplicate`: a sender retries anything else forever, and a replay changes nothing); 401 when
the signature is missing, forged or malformed, or its timestamp is outside the tolerance
window (the signature cannot vouch for the request now: an authentication failure, not a
malformed request); 422 when a genuine delivery's body is not an event we know.
"""

import time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException, Request, status
from pydantic import BaseModel, EmailStr, Field, ValidationError

from ..schemas import ErrorMessage
from ..webhooks import DeliveryLog
from ..webhooks.signatures import InvalidSignature, verify
from .deps import AppResources, Events

router = APIRouter(prefix="/webhooks", tags=["webhooks"])


class ProfileEvent(BaseModel):
    type: str = Field(pattern=r"^profile\.(updated|deleted)$", examples=["profile.updated"])
    email: EmailStr


class WebhookReceipt(BaseModel):
    delivery_id: str
    duplicate: bool


async def raw_body(request: Request) -> bytes:
    """The bytes as sent: the signature covers them, not a re-encoding of parsed JSON."""
    return await request.body()


def get_deliveries(resources: AppResources) -> DeliveryLog:
    return resources.deliveries


# The body is read raw for the signature; the document still describes it.
BODY_DOC: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": ProfileEvent.model_json_schema()}},
    }
}
REFUSED: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorMessage, "description": "Missing, forged or stale webhook signature"},
    422: {"model": ErrorMessage, "description": "A genuine delivery whose body is not a known event"},
}


@router.post("/profile-events", response_model=WebhookReceipt, openapi_extra=BODY_DOC, responses=REFUSED)
def receive_profile_event(
    body: Annotated[bytes, Depends(raw_body)],
    deliveries: Annotated[DeliveryLog, Depends(get_deliveries)],
    events: Events,
    resources: AppResources,
    webhook_id: Annotated[str | None, Header(description="Unique per delivery; a replay repeats it")] = None,
    webhook_timestamp: Annotated[str | None, Header(description="When it was signed, Unix seconds")] = None,
    webhook_signature: Annotated[str | None, Header(description="v1=<hex HMAC-SHA256 of id.timestamp.body>")] = None,
) -> WebhookReceipt:
    settings = resources.settings
    try:
        delivery_id = verify(
            settings.webhook_secret,
            delivery_id=webhook_id,
            timestamp=webhook_timestamp,
            signature=webhook_signature,
            body=body,
            now=time.time(),
            tolerance_seconds=settings.webhook_tolerance_seconds,
        )
    except InvalidSignature as error:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, str(error)) from None
    try:
        event = ProfileEvent.model_validate_json(body)
    except ValidationError:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "Not a known profile event") from None
    # Remembered before it is handled: should publishing fail, the sender's retry is a duplicate.
    if not deliveries.remember(delivery_id):
        return WebhookReceipt(delivery_id=delivery_id, duplicate=True)
    events.publish(event.type, {"email": event.email, "delivery_id": delivery_id})
    return WebhookReceipt(delivery_id=delivery_id, duplicate=False)
