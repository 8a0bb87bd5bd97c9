"""``sql_sink``'s write: make the table ready, load the rows, all or nothing, exactly once.

Two promises. All or nothing: a failed or killed load leaves the table as it was. Exactly once
per run: a resumed run re-runs a sink whose load committed before the kill, and that second
run must not load again; the load ledger (``ledger``) records each committed load in the
load's own transaction, and a sink that finds its run's record reports it and stops.

PostgreSQL and SQLite run DDL inside transactions, so there the whole write (drop, create,
truncate, every batch, the ledger's record) is one transaction: a failure or a kill rolls it
all back. MySQL/MariaDB commit implicitly around DDL; there ``writing_mysql`` loads new tables
under a staging name and renames them into place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pypeline_sql.ledger import open_book
from pypeline_sql.loading import load
from pypeline_sql.table_schema import reflect
from pypeline_sql.write_steps import (
    Logger,
    Target,
    already_loaded,
    create,
    existing,
    refuse_existing,
)

if TYPE_CHECKING:
    import pyarrow as pa
    from sqlalchemy.engine import Engine

    from pypeline_sql.cancel import Canceller


def write(engine: Engine, data: pa.Table, target: Target, stop: Canceller, log: Logger) -> int:
    """Write ``data`` to ``target``; return the rows written (by this run, maybe earlier)."""
    import sqlalchemy as sa

    book = open_book(engine, target.schema, target.table, target.load, stop, log)
    if engine.dialect.name in ("mysql", "mariadb"):
        from pypeline_sql.writing_mysql import write_mysql

        return write_mysql(engine, data, target, stop, book, log)
    with stop.begin(engine) as conn:
        entry = book.lookup(conn) if book else None
        if book and book.mine(entry):
            assert entry is not None
            return already_loaded(log, target, entry.rows)
        exists = sa.inspect(conn).has_table(target.table, target.schema)
        refuse_existing(exists, target)
        if exists and target.if_exists == "replace":
            reflect(conn, target.table, target.schema).drop(conn)
            exists = False
        table = existing(conn, data, target) if exists else create(conn, data, target)
        rows = load(conn, table, data, target.keys, target.batch_size, stop)
        if book:
            book.record(conn, rows)
        return rows
