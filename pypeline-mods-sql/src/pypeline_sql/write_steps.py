"""The steps both of ``sql_sink``'s writes share (``writing`` for transactional DDL,
``writing_mysql`` for MySQL/MariaDB): the checked target, and making the table ready."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pypeline_sql.errors import SqlProblem
from pypeline_sql.ledger import Load
from pypeline_sql.table_schema import has_unique_key, new_table, reflect

if TYPE_CHECKING:
    import pyarrow as pa
    import sqlalchemy as sa

IF_EXISTS = ("append", "replace", "fail", "truncate")
Logger = logging.Logger | logging.LoggerAdapter[Any]


@dataclass(frozen=True)
class Target:
    """Where and how to write: what the sink's options say, checked; which load this is."""

    table: str
    schema: str | None
    if_exists: str
    keys: list[str]
    batch_size: int
    load: Load | None = None


def already_loaded(log: Logger, target: Target, rows: int) -> int:
    """A resumed (or retried) run's sink whose load had committed: do not load again."""
    log.info(
        "this run already loaded its %d row(s) into table %r (an earlier attempt, killed or "
        "failed after its commit); not loading them again",
        rows,
        target.table,
    )
    return rows


def refuse_existing(exists: bool, target: Target) -> None:
    """``if_exists: fail`` and the table is there (and was not made by this run)."""
    if exists and target.if_exists == "fail":
        raise SqlProblem("table exists", f"table {target.table!r} already exists (if_exists: fail)")


def create(conn: sa.Connection, data: pa.Table, target: Target, name: str = "") -> sa.Table:
    """Create the table for ``data`` (under ``name``, a staging name, when given)."""
    table = new_table(name or target.table, target.schema, data, conn.dialect.name, target.keys)
    table.create(conn)
    return table


def existing(conn: sa.Connection, data: pa.Table, target: Target) -> sa.Table:
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
