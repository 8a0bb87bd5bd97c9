"""``sql_sink``'s write: make the table ready, load the rows, all or nothing.

PostgreSQL and SQLite run DDL inside transactions, so there the whole write (drop, create,
truncate, every batch) is one transaction: any failure rolls back to the table as it was.
MySQL/MariaDB commit implicitly around DDL, so there the write is arranged to reach the same
guarantee: rows go in one InnoDB transaction; a table the sink created is dropped again if
loading fails; ``truncate`` is a transactional ``DELETE``; ``replace`` loads a new table beside
the old one and swaps the two with one atomic ``RENAME TABLE``.

Loading: PostgreSQL takes COPY (``pg_copy``); the others, and frames COPY cannot carry, take
``INSERT`` batches of ``batch_size`` rows (executemany). Upserts use ``INSERT ... ON CONFLICT
(keys) DO UPDATE`` (PostgreSQL, SQLite) or ``ON DUPLICATE KEY UPDATE`` (MySQL/MariaDB); the key
columns must carry a primary key or unique constraint, which the sink declares itself when it
creates the table. When a key repeats within the input, its last row wins.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pypeline_sql.errors import SqlProblem
from pypeline_sql.table_schema import has_unique_key, new_table, reflect

if TYPE_CHECKING:
    import pyarrow as pa
    import sqlalchemy as sa
    from sqlalchemy.engine import Engine

IF_EXISTS = ("append", "replace", "fail", "truncate")


@dataclass(frozen=True)
class Target:
    """Where and how to write: what the sink's options say, checked."""

    table: str
    schema: str | None
    if_exists: str
    keys: list[str]
    batch_size: int


def write(engine: Engine, data: pa.Table, target: Target) -> int:
    """Write ``data`` to ``target``; return the rows written."""
    import sqlalchemy as sa

    backend = engine.dialect.name
    with engine.connect() as conn:
        exists = sa.inspect(conn).has_table(target.table, target.schema)
    if exists and target.if_exists == "fail":
        raise SqlProblem("table exists", f"table {target.table!r} already exists (if_exists: fail)")
    if backend not in ("mysql", "mariadb"):
        with engine.begin() as conn:
            if exists and target.if_exists == "replace":
                reflect(conn, target.table, target.schema).drop(conn)
                exists = False
            table = _existing(conn, data, target) if exists else _create(conn, data, target)
            return load(conn, table, data, target)
    if not exists:
        with engine.begin() as conn:
            table = _create(conn, data, target)
        return _load_or_drop(engine, table, data, target, swap=False)
    if target.if_exists != "replace":
        with engine.begin() as conn:
            return load(conn, _existing(conn, data, target), data, target)
    shadow = f"{target.table[:40]}__pypeline_{uuid.uuid4().hex[:8]}"
    with engine.begin() as conn:
        table = new_table(shadow, target.schema, data, backend, target.keys)
        table.create(conn)
    return _load_or_drop(engine, table, data, target, swap=True)


def _load_or_drop(
    engine: Engine, table: sa.Table, data: pa.Table, target: Target, swap: bool
) -> int:
    """Load the table the sink just created (and swap it in); drop it again if that fails."""
    try:
        with engine.begin() as conn:
            rows = load(conn, table, data, target)
        if swap:
            with engine.begin() as conn:
                _swap(conn, table, target)
        return rows
    except BaseException:
        with engine.begin() as conn:
            table.drop(conn, checkfirst=True)
        raise


def _swap(conn: sa.Connection, shadow: sa.Table, target: Target) -> None:
    """MySQL/MariaDB ``replace``: swap the loaded table in with one atomic RENAME."""
    quote = conn.dialect.identifier_preparer
    old = f"{target.table[:40]}__pypeline_old_{uuid.uuid4().hex[:8]}"
    prefix = f"{quote.quote_schema(target.schema)}." if target.schema else ""
    live, gone = prefix + quote.quote(target.table), prefix + quote.quote(old)
    conn.exec_driver_sql(f"RENAME TABLE {live} TO {gone}, {quote.format_table(shadow)} TO {live}")
    conn.exec_driver_sql(f"DROP TABLE {gone}")


def _create(conn: sa.Connection, data: pa.Table, target: Target) -> sa.Table:
    table = new_table(target.table, target.schema, data, conn.dialect.name, target.keys)
    table.create(conn)
    return table


def _existing(conn: sa.Connection, data: pa.Table, target: Target) -> sa.Table:
    """The reflected table, checked against the frame; emptied for ``truncate``."""
    table = reflect(conn, target.table, target.schema)
    missing = [name for name in data.column_names if name not in table.c]
    if missing:
        known = ", ".join(c.name for c in table.columns)
        raise SqlProblem(
            "unknown column",
            f"{missing[0]!r} is not a column of table {target.table!r} (its columns: {known})",
        )
    if target.keys and not has_unique_key(conn, table, target.keys):
        raise SqlProblem(
            "no unique key",
            f"upsert_keys ({', '.join(target.keys)}) need a primary key or "
            f"unique constraint on exactly these columns of table {target.table!r}",
        )
    if target.if_exists == "truncate":
        conn.execute(table.delete())  # DELETE, not TRUNCATE: transactional everywhere
    return table


def load(conn: sa.Connection, table: sa.Table, data: pa.Table, target: Target) -> int:
    """Insert (or upsert) every row of ``data`` on ``conn``, in its transaction."""
    from pypeline_sql import pg_copy

    if data.num_rows == 0:
        return 0
    if conn.dialect.name == "postgresql" and pg_copy.copyable(data):
        if target.keys:
            return pg_copy.copy_upsert(conn, table, data, target.keys, target.batch_size)
        return pg_copy.copy_into(conn, table, data, target.batch_size)
    stmt = _insert(conn.dialect.name, table, list(data.column_names), target.keys)
    for batch in data.to_batches(max_chunksize=target.batch_size):
        conn.execute(stmt, batch.to_pylist())
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
