"""The interface every user store implements."""

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol


class DuplicateEmailError(Exception):
    """A user with this email already exists."""


class UserRecord(Protocol):
    id: int
    email: str
    full_name: str
    password_hash: str
    created_at: datetime


class UserRepository(Protocol):
    def add(self, *, email: str, full_name: str, password_hash: str) -> UserRecord: ...

    def get(self, user_id: int) -> UserRecord | None: ...

    def get_by_email(self, email: str) -> UserRecord | None: ...

    def list(self, *, offset: int, limit: int) -> Sequence[UserRecord]: ...

    def count(self) -> int: ...

    def rename(self, user: UserRecord, full_name: str) -> UserRecord: ...

    def delete(self, user: UserRecord) -> None: ...
