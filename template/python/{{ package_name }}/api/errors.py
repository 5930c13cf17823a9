"""The error answers of the API, documented in its OpenAPI schema: `responses=errors(404)`.

Every status a route can answer is listed here once; 422 (invalid input) FastAPI adds itself.
"""

from typing import Any

from fastapi import Request, status
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from ..schemas import ErrorMessage

ERRORS = {
    400: "The request body could not be decoded (it is not UTF-8)",
    401: "Not signed in, or the token is invalid or expired",
    403: "Signed in, but not allowed to do this",
    404: "No such user",
    409: "A user with this email already exists",
    429: "Too many requests: try again after the Retry-After header's seconds",
    502: "The profile service rejected the request or sent a malformed answer",
    503: "The profile service is unavailable or rate-limiting (Retry-After when it said when)",
    504: "The profile service did not answer in time",
}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": ErrorMessage, "description": ERRORS[status]} for status in statuses}


async def invalid_request(_: Request, error: RequestValidationError) -> JSONResponse:
    """422 naming each invalid field, without echoing what was sent (FastAPI's default does):
    a password stays out of the answer, and text UTF-8 cannot encode cannot break it."""
    fields = [{"type": e["type"], "loc": e["loc"], "msg": e["msg"]} for e in error.errors()]
    return JSONResponse({"detail": jsonable_encoder(fields)}, status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)
