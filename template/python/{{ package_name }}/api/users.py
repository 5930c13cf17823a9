"""The users resource: sign up, list, read, rename, delete, and a profile from the external API."""

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response, status

from ..clients.profiles import ProfileServiceError
from ..repositories import DuplicateEmailError, UserRecord
from ..schemas import MAX_INT, Profile, UserCreate, UserOut, UserPage, UserUpdate
from ..security.passwords import hash_password
from .deps import (
    OWNER_ONLY_ERRORS,
    SIGNED_IN_ERRORS,
    AppResources,
    Events,
    Profiles,
    UserId,
    Users,
    owner_only,
    rate_limited,
    signed_in,
)
from .errors import errors

router = APIRouter(prefix="/users", tags=["users"], dependencies=[Depends(rate_limited)], responses=errors(429))


def _existing(users: Users, user_id: int) -> UserRecord:
    user = users.get(user_id)
    if user is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"User {user_id} not found")
    return user


@router.post("", status_code=status.HTTP_201_CREATED, response_model=UserOut, responses=errors(400, 409))
def sign_up(body: UserCreate, users: Users, events: Events, resources: AppResources) -> UserRecord:
    password_hash = hash_password(body.password, iterations=resources.settings.password_iterations)
    try:
        user = users.add(email=body.email, full_name=body.full_name, password_hash=password_hash)
    except DuplicateEmailError:
        raise HTTPException(status.HTTP_409_CONFLICT, "A user with this email already exists") from None
    # Published after the commit: if the broker is down the user exists but the request fails.
    # Where every event must arrive, write it to an outbox table in the same transaction instead.
    events.publish("user.created", {"id": user.id, "email": user.email})
    return user


@router.get("", response_model=UserPage, dependencies=signed_in, responses=errors(*SIGNED_IN_ERRORS))
def list_users(
    request: Request,
    users: Users,
    page: int = Query(1, ge=1, le=MAX_INT),
    size: int = Query(20, ge=1, le=100),
) -> UserPage:
    total = users.count()
    items = users.list(offset=(page - 1) * size, limit=size)
    next_page = None
    if page * size < total:
        url = request.url.include_query_params(page=page + 1, size=size)
        next_page = f"{url.path}?{url.query}"
    return UserPage(
        items=[UserOut.model_validate(user) for user in items], total=total, page=page, size=size, next=next_page
    )


@router.get("/{user_id}", response_model=UserOut, dependencies=signed_in, responses=errors(404, *SIGNED_IN_ERRORS))
def get_user(user_id: UserId, users: Users) -> UserRecord:
    return _existing(users, user_id)


@router.patch(
    "/{user_id}", response_model=UserOut, dependencies=owner_only, responses=errors(400, 404, *OWNER_ONLY_ERRORS)
)
def rename_user(user_id: UserId, body: UserUpdate, users: Users) -> UserRecord:
    return users.rename(_existing(users, user_id), body.full_name)


@router.delete(
    "/{user_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=owner_only,
    responses=errors(404, *OWNER_ONLY_ERRORS),
)
def delete_user(user_id: UserId, users: Users) -> Response:
    users.delete(_existing(users, user_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/{user_id}/profile",
    response_model=Profile,
    dependencies=signed_in,
    responses=errors(404, 502, 503, 504, *SIGNED_IN_ERRORS),
)
def get_profile(user_id: UserId, users: Users, profiles: Profiles) -> Profile:
    user = _existing(users, user_id)
    try:
        found = profiles.get(user.email)
    except ProfileServiceError as error:
        headers = {"Retry-After": error.retry_after} if error.retry_after else None
        raise HTTPException(error.status_code, str(error), headers=headers) from None
    if found is None:
        return Profile(user_id=user.id, display_name=user.full_name, avatar_url=None)
    return Profile(user_id=user.id, display_name=found["display_name"], avatar_url=found.get("avatar_url"))
