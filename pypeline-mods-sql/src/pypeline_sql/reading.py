"""Pandas-mode reading for ``sql_source``: stream the result into Arrow, then one DataFrame.

A result is fetched ``chunksize`` rows at a time through a server-side cursor (psycopg's named
cursors, PyMySQL's unbuffered cursor), and each chunk is turned into compact Arrow columns at
once, so memory holds the result in columnar form plus one chunk of Python rows, never the
driver's whole buffer of row objects. ``chunksize`` changes memory use, never the result: the
same code types every read.

Types a user sees: integer columns stay ``int64`` (``Int64`` when they hold nulls), booleans
``bool`` (``boolean`` with nulls), floats ``float64``, text pandas' ``str``, decimals Python
``Decimal`` objects, dates ``datetime.date`` objects, timestamps ``datetime64``, and time-zone
aware timestamps (PostgreSQL ``timestamptz``) ``datetime64[..., UTC]``. A column Arrow cannot
type (SQLite mixing text and numbers in one column, UUIDs, ...) makes the read fall back to
pandas' object columns, as ``pandas.read_sql`` gives. ``dtypes`` then casts named columns.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa
    from sqlalchemy.engine import Connection, Engine
    from sqlalchemy.sql import Executable

DTYPES = ("str", "int", "float", "bool", "decimal", "date", "datetime", "datetimetz")


def statement(conn: Connection, query: str | None, table: str | None, schema: str | None) -> Any:
    """``text(query)``, or ``SELECT *`` of the reflected table (so the dialect types values)."""
    import sqlalchemy as sa

    if query:
        return sa.text(query)
    assert table
    reflected = sa.Table(table, sa.MetaData(), schema=schema or None, autoload_with=conn)
    return sa.select(reflected)


def read_pandas(
    engine: Engine,
    query: str | None,
    table: str | None,
    schema: str | None,
    params: dict[str, Any],
    chunksize: int,
) -> pd.DataFrame:
    """Run the query (or read the table) and return every row as one DataFrame."""
    with engine.connect() as conn:
        stmt: Executable = statement(conn, query, table, schema)
        if chunksize:
            conn = conn.execution_options(stream_results=True, max_row_buffer=chunksize)
        result = conn.execute(stmt, params)
        collector = _Collector([str(k) for k in result.keys()])
        if chunksize:
            for rows in result.partitions(chunksize):
                collector.add(rows)
        else:
            collector.add(result.fetchall())
        return collector.frame()


class _Collector:
    """Accumulates chunks of rows as Arrow tables (or pandas frames, once Arrow gave up)."""

    def __init__(self, columns: list[str]) -> None:
        self.columns = columns
        self.tables: list[pa.Table] = []
        self.frames: list[pd.DataFrame] | None = None

    def add(self, rows: Any) -> None:
        import pandas as pd
        import pyarrow as pa

        if self.frames is None:
            try:
                arrays = [pa.array(column) for column in _transpose(rows, len(self.columns))]
                self.tables.append(pa.Table.from_arrays(arrays, names=self.columns))
                return
            except (pa.ArrowException, TypeError, ValueError, OverflowError):
                self.frames = [_plain(table) for table in self.tables]
                self.tables = []
        self.frames.append(pd.DataFrame.from_records(list(rows), columns=self.columns))

    def frame(self) -> pd.DataFrame:
        import pandas as pd
        import pyarrow as pa

        if self.frames is None:
            if not self.tables:
                return pd.DataFrame(columns=self.columns)
            try:
                table = pa.concat_tables(self.tables, promote_options="permissive")
            except pa.ArrowException:
                self.frames = [_plain(t) for t in self.tables]
            else:
                return _plain(table)
        frames = [f for f in self.frames if len(f)] or self.frames[:1]
        return _utc(pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0])


def _transpose(rows: Any, width: int) -> list[list[Any]]:
    if not rows:
        return [[] for _ in range(width)]
    return [list(column) for column in zip(*rows, strict=True)]


def _plain(table: pa.Table) -> pd.DataFrame:
    """Arrow → pandas keeping integers and booleans exact when they hold nulls."""
    import pandas as pd
    import pyarrow as pa

    frame = table.to_pandas()
    for i, column in enumerate(table.columns):
        if column.null_count and pa.types.is_integer(column.type):
            frame.isetitem(i, column.to_pandas(types_mapper=lambda _t: pd.Int64Dtype()))
        elif column.null_count and pa.types.is_boolean(column.type):
            frame.isetitem(i, column.to_pandas(types_mapper=lambda _t: pd.BooleanDtype()))
    return _utc(frame)


def _utc(frame: pd.DataFrame) -> pd.DataFrame:
    """Time-zone aware columns in UTC: the instant is what the database stored, not a zone."""
    import pandas as pd

    for i, dtype in enumerate(frame.dtypes):
        if isinstance(dtype, pd.DatetimeTZDtype) and str(dtype.tz) != "UTC":
            frame.isetitem(i, frame.iloc[:, i].dt.tz_convert("UTC"))
    return frame


def cast(frame: pd.DataFrame, dtypes: dict[str, str], node: str) -> pd.DataFrame:
    """Apply the ``dtypes`` option: column → one of ``DTYPES``; naive ``datetimetz`` is UTC."""
    import decimal

    import pandas as pd

    from pypeline_sql.errors import SqlModuleError

    for column, kind in dtypes.items():
        if column not in frame.columns:
            known = ", ".join(map(str, frame.columns))
            raise SqlModuleError(f"sql_source {node}: dtypes names unknown column {column!r} "
                                 f"(columns: {known})")
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
            raise SqlModuleError(
                f"sql_source {node}: type mismatch: cannot read column {column!r} as {kind}: "
                f"{str(exc).splitlines()[0]}"
            ) from exc
    return frame
