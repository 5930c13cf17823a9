"""Test data builders. Unique columns use uuids: pytest-randomly reseeds Faker per test,
so Faker values repeat across tests and workers."""

from .users import PASSWORD, UserFactory

__all__ = ["PASSWORD", "UserFactory"]
