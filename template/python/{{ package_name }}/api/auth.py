"""Sign in with email and password; get a bearer token; ask who you are."""

from fastapi import APIRouter, Depends, HTTPException, status

from ..repositories import UserRecord
from ..schemas import Credentials, Token, UserOut
from ..security.passwords import verify_password
from ..security.tokens import create_access_token
from .deps import AppResources, CurrentUser, Users, rate_limited
from .errors import errors

router = APIRouter(tags=["auth"], dependencies=[Depends(rate_limited)], responses=errors(429))


@router.post("/auth/token", response_model=Token, responses=errors(400, 401))
def issue_token(body: Credentials, users: Users, resources: AppResources) -> Token:
    user = users.get_by_email(body.email)
    if user is None or not verify_password(body.password, user.password_hash):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, "Incorrect email or password", headers={"WWW-Authenticate": "Bearer"}
        )
    settings = resources.settings
    token = create_access_token(user.id, secret=settings.jwt_secret, ttl_seconds=settings.jwt_ttl_seconds)
    return Token(access_token=token)


@router.get("/users/me", response_model=UserOut, responses=errors(401))
def who_am_i(user: CurrentUser) -> UserRecord:
    return user
