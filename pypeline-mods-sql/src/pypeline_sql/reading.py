"""Pandas-mode reading for ``sql_source``: the statement, the streamed fetch, ``dtypes``.

A result is fetched ``chunksize`` rows at a time through a server-side cursor (psycopg's named
cursors, PyMySQL's unbuffered cursor) into ``collect.Collector``, which keeps it as compact
Arrow columns, so a large result costs its size in columnar form, not the driver's buffer of
row objects. ``chunksize`` changes memory use, never the result: one code path types every
read. ``cast`` applies the user's ``dtypes`` afterwards.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
    from sqlalchemy.engine import Connection, Engine

    from pypeline_sql.cancel import Canceller

DTYPES = ("str", "int", "float", "bool", "decimal", "date", "datetime", "datetimetz")


def statement(conn: Connection, query: str | None, table: str | None, schema: str | None) -> Any:
    """``text(query)``, or ``SELECT *`` of the reflected table (so the dialect types values).

    Two reflected types are read the way they were meant: a MySQL ``DOUBLE``/``FLOAT`` as float
    (SQLAlchemy would make Decimals of it) and MySQL's ``TINYINT(1)``, its ``BOOLEAN``, as bool.
    """
    import sqlalchemy as sa
    from sqlalchemy.dialects import mysql

    if query:
        return sa.text(query)
    assert table
    reflected = sa.Table(table, sa.MetaData(), schema=schema or None, autoload_with=conn)
    for column in reflected.columns:
        if isinstance(column.type, sa.Float):
            column.type.asdecimal = False
        elif isinstance(column.type, mysql.TINYINT) and column.type.display_width == 1:
            column.type = sa.Boolean()
    return sa.select(reflected)


def read_pandas(
    engine: Engine,
    query: str | None,
    table: str | None,
    schema: str | None,
    params: dict[str, Any],
    chunksize: int,
    stop: Canceller,
) -> pd.DataFrame:
    """Run the query (or read the table) and return every row as one DataFrame.

    ``stop`` can stop the query from another thread; a cancelled read raises, never returns.
    """
    from pypeline_sql import fetch
    from pypeline_sql.collect import Collector

    with stop.connect(engine) as conn, fetch.cursor_for(conn, chunksize) as cursor:
        stmt = statement(conn, query, table, schema)
        fetch.execute(conn, cursor, stmt, params)
        description = cursor.description or []
        names = [str(entry[0]) for entry in description]
        collector = Collector(names, fetch.processors(conn, stmt, description))
        for rows in fetch.chunks(cursor, chunksize):
            stop.check()
            collector.add(rows)
        stop.check()
        return collector.frame()


def cast(frame: pd.DataFrame, dtypes: dict[str, str]) -> pd.DataFrame:
    """Apply the ``dtypes`` option: column → one of ``DTYPES``; naive ``datetimetz`` is UTC."""
    import decimal

    import pandas as pd

    from pypeline_sql.errors import SqlProblem

    for column, kind in dtypes.items():
        if column not in frame.columns:
            known = ", ".join(map(str, frame.columns))
            raise SqlProblem("unknown column", f"dtypes names {column!r}; the columns: {known}")
        values = frame[column]
        try:
            if kind == "decimal":
                frame[column] = [None if pd.isna(v) else decimal.Decimal(str(v)) for v in values]
            elif kind in ("date", "datetime", "datetimetz"):
                stamps = pd.to_datetime(values, utc=kind == "datetimetz", format="ISO8601")
                frame[column] = stamps.dt.date if kind == "date" else stamps
            else:
                target = {"str": "str", "int": "Int64", "float": "float64", "bool": "boolean"}
                frame[column] = values.astype(target[kind])
        except (TypeError, ValueError, decimal.InvalidOperation) as exc:
            cause = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise SqlProblem(
                "type mismatch", f"cannot read column {column!r} as {kind}: {cause}"
            ) from exc
    return frame
