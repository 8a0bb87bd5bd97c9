"""Rows straight from the driver's cursor, server-side where the driver offers one.

SQLAlchemy compiles the statement and binds ``:name`` parameters into the driver's own
placeholder style, so values still travel separately from the SQL text; but the rows are read
from the DBAPI cursor, not through SQLAlchemy's ``Result``. Why: building a ``Row`` per row and
buffering them in Python costs two to three times the driver's own fetch on large results (a
streamed ``Result`` pops every row from a deque), and a pandas user's baseline is
``pandas.read_sql``. What SQLAlchemy's result layer would add is kept: the dialect's result
processors (a SQLite date text becomes a ``date``) are applied per column by the collector.

Streaming: psycopg gets a named (server-side) cursor, PyMySQL an unbuffered ``SSCursor``; SQLite
steps through its result as it is fetched. Other drivers use their default cursor.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

Processor = Callable[[Any], Any] | None


@contextmanager
def cursor_for(conn: Connection, stream: int) -> Iterator[Any]:
    """A DBAPI cursor on ``conn``'s connection; server-side when ``stream`` (rows per fetch)."""
    driver: Any = conn.connection.driver_connection
    name = conn.dialect.driver
    if stream and name == "psycopg":
        cursor = driver.cursor(name=f"pypeline_{uuid.uuid4().hex[:12]}")
        cursor.itersize = stream
    elif stream and name == "pymysql":
        import pymysql.cursors

        cursor = driver.cursor(pymysql.cursors.SSCursor)
    else:
        cursor = driver.cursor()
    try:
        yield cursor
    finally:
        cursor.close()


def execute(conn: Connection, cursor: Any, stmt: Any, params: dict[str, Any]) -> None:
    """Compile ``stmt`` for the dialect and run it on ``cursor`` with ``params`` bound."""
    compiled = stmt.compile(dialect=conn.dialect)
    bound = compiled.construct_params(params)
    if compiled.positional:
        args: Any = tuple(bound[name] for name in compiled.positiontup or ())
    else:
        args = bound
    cursor.execute(str(compiled), args)


def chunks(cursor: Any, size: int) -> Iterator[list[tuple[Any, ...]]]:
    """The cursor's rows ``size`` at a time (all at once when ``size`` is 0)."""
    if not size:
        yield list(cursor.fetchall())
        return
    while rows := cursor.fetchmany(size):
        yield list(rows)


def processors(conn: Connection, stmt: Any, description: Any) -> list[Processor]:
    """Per column, the dialect's conversion of a driver value (None where there is none)."""
    columns = list(getattr(stmt, "selected_columns", []))
    if len(columns) != len(description):
        return [None] * len(description)  # text(): no types, nothing to convert
    dialect = conn.dialect
    return [
        column.type.dialect_impl(dialect).result_processor(dialect, entry[1])
        for column, entry in zip(columns, description, strict=True)
    ]
