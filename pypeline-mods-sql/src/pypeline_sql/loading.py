"""Rows into a table that is ready for them, on the caller's connection and transaction.

PostgreSQL takes COPY (``pg_copy``); the others, and frames COPY cannot carry, take ``INSERT``
batches of ``batch_size`` rows (executemany). Upserts use ``INSERT ... ON CONFLICT (keys) DO
UPDATE`` (PostgreSQL, SQLite) or ``ON DUPLICATE KEY UPDATE`` (MySQL/MariaDB); the key columns
must carry a primary key or unique constraint. A cancelled run stops at the next batch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa
    import sqlalchemy as sa

    from pypeline_sql.cancel import Canceller


def load(
    conn: sa.Connection,
    table: sa.Table,
    data: pa.Table,
    keys: list[str],
    batch_size: int,
    stop: Canceller,
) -> int:
    """Insert (or upsert) every row of ``data`` on ``conn``, in its transaction."""
    from pypeline_sql import pg_copy

    if data.num_rows == 0:
        return 0
    if conn.dialect.name == "postgresql" and pg_copy.copyable(data):
        if keys:
            return pg_copy.copy_upsert(conn, table, data, keys, batch_size, stop.check)
        return pg_copy.copy_into(conn, table, data, batch_size, stop.check)
    stmt = _insert(conn.dialect.name, table, list(data.column_names), keys)
    for batch in data.to_batches(max_chunksize=batch_size):
        stop.check()
        conn.execute(stmt, batch.to_pylist())
    stop.check()
    return int(data.num_rows)


def _insert(backend: str, table: sa.Table, names: list[str], keys: list[str]) -> Any:
    """A plain INSERT, or the dialect's upsert when ``keys`` are given."""
    if not keys:
        return table.insert()
    if backend in ("mysql", "mariadb"):
        from sqlalchemy.dialects.mysql import insert as mysql_insert

        stmt = mysql_insert(table)
        updates = {n: stmt.inserted[n] for n in names if n not in keys} or {
            keys[0]: stmt.inserted[keys[0]]  # nothing to update: a no-op keeps the row
        }
        return stmt.on_duplicate_key_update(updates)
    from sqlalchemy.dialects import postgresql, sqlite

    upsert: Any = sqlite.insert(table) if backend == "sqlite" else postgresql.insert(table)
    updates = {n: upsert.excluded[n] for n in names if n not in keys}
    if not updates:
        return upsert.on_conflict_do_nothing(index_elements=keys)
    return upsert.on_conflict_do_update(index_elements=keys, set_=updates)
