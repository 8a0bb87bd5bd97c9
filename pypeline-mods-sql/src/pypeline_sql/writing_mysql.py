"""``sql_sink``'s write on MySQL/MariaDB, where DDL commits by itself.

The rows still go in one InnoDB transaction with the ledger's record. Into an existing table
(``append``, ``truncate``, upserts) that transaction is the whole load. A new table (the target
is missing, or ``replace``) is created under a staging name (``staging``), loaded, and renamed
into place with one ``RENAME TABLE``: the target never exists half-filled, and ``fail`` never
meets a table an earlier, killed attempt of the same run created. The steps, and what a
resumed run finds after a kill between them:

1. sweep: staging tables of this target that no live load holds are dropped (killed loads');
2. create the staging table (holding its lock); killed here: no record, the next sweep drops it;
3. load it and record (run, rows, staging name) in one transaction; killed before the commit:
   as 2; after it: the record names a staging table that still exists, so the load is not done
   and is redone (that table is swept first);
4. rename it into place, then clear the record's staging name; killed after the rename: the
   record's staging table is gone, so the load is done and the sink reports it.

The whole sequence runs on one session, whose end (the process dying) releases its locks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pypeline_sql import staging
from pypeline_sql.loading import load
from pypeline_sql.write_steps import already_loaded, create, existing, refuse_existing

if TYPE_CHECKING:
    import pyarrow as pa
    import sqlalchemy as sa
    from sqlalchemy.engine import Engine

    from pypeline_sql.cancel import Canceller
    from pypeline_sql.ledger import Book, Entry
    from pypeline_sql.write_steps import Logger, Target


def write_mysql(
    engine: Engine, data: pa.Table, target: Target, stop: Canceller, book: Book | None, log: Logger
) -> int:
    """Write ``data`` to ``target`` (see the module docstring); return the rows written."""
    import sqlalchemy as sa

    schema = target.schema
    with stop.connect(engine) as conn:
        keep: set[str] = set()
        if book:
            with conn.begin():
                entry, keep = book.lookup(conn), book.others_staging(conn)
            if entry is not None and book.mine(entry) and not _unplaced(conn, schema, entry):
                staging.sweep(conn, schema, target.table, keep)  # e.g. a replaced table
                return already_loaded(log, target, entry.rows)
        staging.sweep(conn, schema, target.table, keep)
        with conn.begin():
            exists = sa.inspect(conn).has_table(target.table, schema)
        refuse_existing(exists, target)
        if exists and target.if_exists != "replace":
            with conn.begin():
                table = existing(conn, data, target)
                rows = load(conn, table, data, target.keys, target.batch_size, stop)
                if book:
                    book.record(conn, rows)
            return rows
        return _through_staging(conn, data, target, stop, book, replace=exists)


def _unplaced(conn: sa.Connection, schema: str | None, entry: Entry) -> bool:
    """Whether the record's staging table is still there: killed before step 4."""
    return bool(entry.staging) and staging.exists(conn, schema, str(entry.staging))


def _through_staging(
    conn: sa.Connection,
    data: pa.Table,
    target: Target,
    stop: Canceller,
    book: Book | None,
    replace: bool,
) -> int:
    """Steps 2–4: a new table loaded under a staging name, then renamed into place."""
    name = staging.name_for(target.table)
    if not staging.hold(conn, name):
        raise RuntimeError(f"staging table {name} is in use")  # a random name: never
    try:
        with conn.begin():
            table = create(conn, data, target, name)
        with conn.begin():
            rows = load(conn, table, data, target.keys, target.batch_size, stop)
            if book:
                book.record(conn, rows, staging=name)
        staging.place(conn, target.schema, name, target.table, replace)
    except BaseException:
        with stop.spared(conn):
            _undo(conn, target, book, name)
        raise
    finally:
        with stop.spared(conn):
            staging.release(conn, name)
    if book:  # the load is done already; this only shortens what a resume must check
        with conn.begin():
            book.placed(conn)
    return rows


def _undo(conn: sa.Connection, target: Target, book: Book | None, name: str) -> None:
    """A failed load: forget its record first (a record naming a missing table means "done"),
    then drop its staging table. If this fails too, the next sweep finishes the job."""
    try:
        if book:
            with conn.begin():
                book.forget(conn)
        staging.drop(conn, target.schema, name)
    except Exception:  # the original error is the one to report
        return
