"""Users in process memory: the repository when the project has no database."""

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime

from .base import DuplicateEmailError, UserRecord


@dataclass
class User:
    id: int
    email: str
    full_name: str
    password_hash: str
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))


class InMemoryUserRepository:
    """Thread-safe: FastAPI runs `def` endpoints in a thread pool."""

    def __init__(self) -> None:
        self._users: dict[int, User] = {}
        self._next_id = 1
        self._lock = threading.Lock()

    def add(self, *, email: str, full_name: str, password_hash: str) -> User:
        with self._lock:
            if any(user.email == email for user in self._users.values()):
                raise DuplicateEmailError(email)
            user = User(self._next_id, email, full_name, password_hash)
            self._users[user.id] = user
            self._next_id += 1
            return user

    def get(self, user_id: int) -> User | None:
        return self._users.get(user_id)

    def get_by_email(self, email: str) -> User | None:
        return next((user for user in self._users.values() if user.email == email), None)

    def list(self, *, offset: int, limit: int) -> list[User]:
        with self._lock:
            return sorted(self._users.values(), key=lambda user: user.id)[offset : offset + limit]

    def count(self) -> int:
        return len(self._users)

    def rename(self, user: UserRecord, full_name: str) -> UserRecord:
        user.full_name = full_name
        return user

    def delete(self, user: UserRecord) -> None:
        with self._lock:
            self._users.pop(user.id, None)
