"""The users list and the lookup by email are read through their indexes, as the repository
sends them (a query rewritten so that no index fits fails here): checked by EXPLAIN on a table
large enough for the planner to prefer an index, inside the test's rolled-back transaction."""

import pytest
from sqlalchemy import Connection, text

ROWS = 5_000


@pytest.fixture
def many_users(db_connection: Connection) -> None:
    db_connection.execute(
        text(
            "INSERT INTO users (email, full_name, password_hash)"
            " SELECT 'plan-' || n || '@example.com', 'User ' || n, 'x' FROM generate_series(1, :rows) AS n"
        ),
        {"rows": ROWS},
    )
    # Statistics for the planner; the rows themselves go with the test's transaction.
    db_connection.execute(text("ANALYZE users"))


@pytest.mark.usefixtures("many_users")
def test_looking_a_user_up_by_email_uses_the_email_index(users, query_plans):
    (lookup,) = query_plans(lambda: users.get_by_email(f"plan-{ROWS // 2}@example.com"))

    assert lookup.scans("users") == [("Index Scan", ("email",))], lookup.statement


@pytest.mark.usefixtures("many_users")
def test_a_page_of_users_is_read_in_id_order_through_the_primary_key(users, query_plans):
    (page,) = query_plans(lambda: users.list(offset=0, limit=20))

    assert page.scans("users") == [("Index Scan", ("id",))], page.statement
