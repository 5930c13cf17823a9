"""How PostgreSQL runs the statements a piece of code sends: EXPLAIN (FORMAT JSON) of each,
with the parameters it was sent with, so a test can say which index a query must use."""

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, event, text

_INDEX_COLUMNS = text(
    "SELECT array_agg(a.attname ORDER BY k.position) FROM pg_index x"
    " CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, position)"
    " JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum"
    " WHERE x.indexrelid = CAST(:index AS regclass)"
)


@dataclass(frozen=True)
class QueryPlan:
    statement: str
    plan: dict[str, Any]  # the root node of EXPLAIN (FORMAT JSON)
    index_columns: dict[str, tuple[str, ...]]  # every index the plan names -> its columns

    def nodes(self, node: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        node = self.plan if node is None else node
        yield node
        for child in node.get("Plans", []):
            yield from self.nodes(child)

    def scans(self, table: str) -> list[tuple[str, tuple[str, ...]]]:
        """How `table` is read: ("Seq Scan", ()) or ("Index Scan", <the index's columns>)."""
        return [
            (node["Node Type"], self.index_columns.get(node.get("Index Name", ""), ()))
            for node in self.nodes()
            if node.get("Relation Name") == table
        ]


def explain_statements(connection: Connection, run: Callable[[], object]) -> list[QueryPlan]:
    """Runs `run`, then explains every SELECT it sent through `connection`."""
    sent: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            sent.append((statement, parameters))

    event.listen(connection, "before_cursor_execute", record)
    try:
        run()
    finally:
        event.remove(connection, "before_cursor_execute", record)
    plans = []
    for statement, parameters in sent:
        explained = connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", parameters).scalar_one()
        root: dict[str, Any] = (json.loads(explained) if isinstance(explained, str) else explained)[0]["Plan"]
        names = {node["Index Name"] for node in QueryPlan(statement, root, {}).nodes() if "Index Name" in node}
        columns = {name: tuple(connection.execute(_INDEX_COLUMNS, {"index": name}).scalar_one()) for name in names}
        plans.append(QueryPlan(statement, root, columns))
    return plans
