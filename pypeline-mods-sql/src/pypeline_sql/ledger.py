"""The load ledger: which run last loaded each sink's table, kept in the database itself.

A run killed after its sink committed but before the run's checkpoint recorded it re-runs the
sink when resumed. Without a record, ``append`` would add the rows twice and ``fail`` would
refuse the table the killed run created. So every load writes one row to ``_pype_loads`` (in
the target's schema) in the same transaction as its data: (job, node, table) → the run id,
the rows written and, on MySQL/MariaDB, the staging table still to be renamed into place
(``staging``; see ``writing_mysql``). A sink that finds its own run's record has nothing to do:
it reports the recorded row count. The record of a (job, node, table) is replaced by each
later run, so the ledger holds one row per sink (per iteration inside ITERATE), not per run.

Only a run with a run id keeps a record (the engine always gives one). Where the ledger cannot
be created or written (no privilege; a probe tries, then rolls back) the sink still loads,
with a warning that a resumed run may load twice.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlalchemy as sa
    from sqlalchemy.engine import Connection, Engine

    from pypeline_sql.cancel import Canceller

LEDGER = "_pype_loads"


@dataclass(frozen=True)
class Load:
    """Which load this is: the job, the node (with its iteration frame) and the run."""

    job: str
    node: str
    run_id: str


@dataclass(frozen=True)
class Entry:
    """A load's record: who wrote it, how many rows, the staging table not yet in place."""

    run_id: str
    rows: int
    staging: str | None


@dataclass(frozen=True)
class Book:
    """The ledger as one load sees it: its own record and the others' staging tables."""

    table: sa.Table
    load_id: str
    load: Load
    target: str

    def lookup(self, conn: Connection) -> Entry | None:
        """This sink's record, if any run has written one."""
        c = self.table.c
        found = (
            conn.execute(self.table.select().where(c.load_id == self.load_id)).mappings().first()
        )
        if found is None:
            return None
        return Entry(str(found["run_id"]), int(found["row_count"]), found["staging"])

    def mine(self, entry: Entry | None) -> bool:
        """Whether ``entry`` was written by this run."""
        return entry is not None and entry.run_id == self.load.run_id

    def record(self, conn: Connection, rows: int, staging: str | None = None) -> None:
        """Write this run's record, in the transaction of the rows it counts."""
        self.forget(conn)
        conn.execute(
            self.table.insert().values(
                load_id=self.load_id,
                job=self.load.job[:255],
                node=self.load.node[:255],
                target=self.target[:255],
                run_id=self.load.run_id[:64],
                row_count=rows,
                staging=staging,
                loaded_at=datetime.now(UTC).replace(tzinfo=None),
            )
        )

    def placed(self, conn: Connection) -> None:
        """The staging table has been renamed into place: nothing is left to finish."""
        c = self.table.c
        conn.execute(self.table.update().where(c.load_id == self.load_id).values(staging=None))

    def forget(self, conn: Connection) -> None:
        conn.execute(self.table.delete().where(self.table.c.load_id == self.load_id))

    def others_staging(self, conn: Connection) -> set[str]:
        """Staging tables other loads recorded and may still rename into place: keep them."""
        c = self.table.c
        query = self.table.select().where(c.staging.is_not(None), c.load_id != self.load_id)
        return {str(row["staging"]) for row in conn.execute(query).mappings()}


def open_book(
    engine: Engine,
    schema: str | None,
    table: str,
    load: Load | None,
    stop: Canceller,
    logger: logging.Logger | logging.LoggerAdapter[Any],
) -> Book | None:
    """The ledger for this load, created on first use; None without a run id or privilege."""
    import sqlalchemy as sa

    from pypeline_sql.errors import explain

    if load is None or not load.run_id:
        return None
    ledger = _ledger_table(schema, engine.dialect.name)
    target = f"{schema}.{table}" if schema else table
    digest = hashlib.sha1(f"{load.job}\0{load.node}\0{target}".encode(), usedforsecurity=False)
    book = Book(ledger, digest.hexdigest(), load, target)
    try:
        with stop.begin(engine) as conn:
            ledger.create(conn, checkfirst=True)
    except sa.exc.DBAPIError:
        pass  # a concurrent creation, or no privilege to create: the probe tells
    try:
        _probe(engine, book, stop)
    except sa.exc.DBAPIError as exc:
        kind, cause = explain(exc)
        if kind in UNRELATED:
            raise
        why = f"{kind}: {cause}"
        logger.warning(
            "cannot keep the load ledger %s (%s): a resumed run may load twice", LEDGER, why
        )
        return None
    return book


# failures that are not about the ledger: the load itself would fail on them
UNRELATED = ("cannot reach the database server", "bad credentials", "unknown database")


def _probe(engine: Engine, book: Book, stop: Canceller) -> None:
    """Read, write, change and delete this load's record, then roll back: a user who may
    create tables but not write this one (made by another user) learns it before loading."""
    with stop.connect(engine) as conn:
        probe = conn.begin()
        try:
            book.lookup(conn)
            book.record(conn, 0, staging="probe")
            book.placed(conn)
        finally:
            probe.rollback()


def _ledger_table(schema: str | None, backend: str) -> sa.Table:
    import sqlalchemy as sa

    options: dict[str, str] = {}
    if backend in ("mysql", "mariadb"):  # the record must commit with the rows: InnoDB
        options = {f"{backend}_engine": "InnoDB", f"{backend}_charset": "utf8mb4"}
    table: sa.Table = sa.Table(  # type: ignore[call-overload]
        LEDGER,
        sa.MetaData(),
        sa.Column("load_id", sa.String(40), primary_key=True),
        sa.Column("job", sa.String(255), nullable=False),
        sa.Column("node", sa.String(255), nullable=False),
        sa.Column("target", sa.String(255), nullable=False),
        sa.Column("run_id", sa.String(64), nullable=False),
        sa.Column("row_count", sa.BigInteger(), nullable=False),
        sa.Column("staging", sa.String(64), nullable=True),
        sa.Column("loaded_at", sa.DateTime(), nullable=False),
        schema=schema,
        **options,
    )
    return table
