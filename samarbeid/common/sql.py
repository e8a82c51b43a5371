"""One row of a fixed statement that every request runs (the sign-in and data-version reads).

On PostgreSQL the statement is sent as a prepared statement: planned once per connection,
not on every request (the six sub-selects of the signed-in read take 0.23 ms planned anew
and 0.08 ms prepared, measured with pgbench). Django's cursors bind on the client and never
prepare, so the connection's own psycopg cursor is used, inside Django's cursor (connection,
health check and the test runner's guards as usual); the query log is kept as Django keeps it.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections


def select_row(sql: str, params: Sequence[Any] = (), using: str = DEFAULT_DB_ALIAS) -> Any:
    """The first row of `sql` (placeholders `%s`), or None."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(sql, params)
            return cursor.fetchone()
        start = time.monotonic()
        raw = cursor.cursor.connection  # the psycopg connection under Django's cursor
        with raw.cursor() as prepared:
            prepared.execute(sql, params, prepare=True)
            row = prepared.fetchone()
        if connection.queries_logged:
            connection.queries_log.append(
                {"sql": f"{sql} -- {list(params)!r}", "time": f"{time.monotonic() - start:.3f}"}
            )
        return row
