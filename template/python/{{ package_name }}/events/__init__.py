"""Domain events (`user.created`, ...) and where they go."""

import threading
from typing import Any, Protocol


class EventPublisher(Protocol):
    def publish(self, name: str, payload: dict[str, Any]) -> None: ...

    def close(self) -> None: ...


class InMemoryEventLog:
    """Keeps published events in a list: the publisher when there is no broker."""

    def __init__(self) -> None:
        self.published: list[tuple[str, dict[str, Any]]] = []
        self._lock = threading.Lock()

    def publish(self, name: str, payload: dict[str, Any]) -> None:
        with self._lock:
            self.published.append((name, payload))

    def close(self) -> None:
        pass
