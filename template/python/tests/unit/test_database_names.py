import pytest

from tests.support import database_names as names


def test_base_name_is_safe_for_sql_identifiers():
    assert names.base_name("My-Service.Test") == "my_service_test"


def test_long_names_are_shortened_with_a_hash_and_stay_unique():
    first = names.base_name("a" * 80)
    second = names.base_name("a" * 79 + "b")

    assert len(first) <= names.MAX_BASE_BYTES
    assert first != second


def test_every_derived_name_fits_postgres_identifiers():
    base = names.base_name("x" * 100)

    for name in (names.template_database(base, "f" * 64), names.worker_database(base), names.migration_database(base)):
        assert len(name.encode()) <= names.MAX_IDENTIFIER_BYTES


def test_an_oversized_identifier_is_refused_not_truncated():
    with pytest.raises(ValueError, match="63-byte"):
        names.checked("n" * 64)
