"""From a DataFrame to rows a database takes, and to the table that would hold them.

The frame goes through Arrow once: Arrow names every column's type exactly (a decimal's
precision and scale, a timestamp's zone), which is what a ``CREATE TABLE`` needs, and the same
Arrow data feeds both load paths (PostgreSQL's COPY, and batched INSERTs for the others).

Decisions: timestamps are kept to the microsecond (what the databases store); PostgreSQL keeps
time-zone aware timestamps as ``timestamptz``; MySQL/MariaDB and SQLite have no such type, so
there they are stored as UTC in a plain ``DATETIME(6)`` / ``DATETIME`` (read them back with
``dtypes: {col: datetimetz}``). A column Arrow cannot type (mixed values in one object column)
is stored as text, with a warning. Categories are stored as their values. The index is not
written. Strings are ``TEXT``, except key columns on MySQL/MariaDB, where a key needs a
``VARCHAR(255)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa
    import sqlalchemy as sa

NO_TIME_ZONE_TYPE = ("mysql", "mariadb", "sqlite")


def to_arrow(frame: pd.DataFrame, backend: str) -> tuple[pa.Table, list[str]]:
    """The frame as Arrow ready to load, and the columns that had to become text."""
    import pyarrow as pa

    texted: list[str] = []
    arrays: list[pa.Array | pa.ChunkedArray] = []
    for name in frame.columns:
        column = frame[name]
        try:
            array: Any = pa.Array.from_pandas(column)
        except (pa.ArrowException, TypeError, ValueError, OverflowError):
            texted.append(str(name))
            array = pa.array([None if _missing(v) else str(v) for v in column], pa.string())
        arrays.append(_loadable(array, backend))
    names = [str(name) for name in frame.columns]
    return pa.Table.from_arrays(arrays, names=names), texted


def _missing(value: Any) -> bool:
    import pandas as pd

    return value is None or (not isinstance(value, list | dict) and bool(pd.isna(value)))


def _loadable(array: Any, backend: str) -> Any:
    """Decode categories, microsecond timestamps, UTC where the database has no zone."""
    import pyarrow as pa

    kind = array.type
    if pa.types.is_dictionary(kind):
        array = array.cast(kind.value_type)
        kind = array.type
    if pa.types.is_null(kind):
        return array.cast(pa.string())
    if pa.types.is_large_string(kind):
        return array.cast(pa.string())
    if pa.types.is_timestamp(kind):
        tz = None if backend in NO_TIME_ZONE_TYPE else kind.tz
        return array.cast(pa.timestamp("us", tz=tz), safe=False)
    if pa.types.is_time(kind):
        return array.cast(pa.time64("us"), safe=False)
    if pa.types.is_duration(kind):
        return array.cast(pa.duration("us"), safe=False)
    return array


def column_type(field: pa.Field, backend: str, key: bool) -> Any:
    """The SQLAlchemy type of a new column holding ``field``'s values."""
    import pyarrow as pa
    import sqlalchemy as sa
    from sqlalchemy.dialects import mysql

    kind = field.type
    mysql_like = backend in ("mysql", "mariadb")
    if pa.types.is_boolean(kind):
        return sa.Boolean()
    if pa.types.is_integer(kind):
        # the smallest signed type that holds every value of the column's type
        bits = kind.bit_width * (2 if pa.types.is_unsigned_integer(kind) else 1)
        if bits > 64:
            return sa.Numeric(20, 0)
        return sa.SmallInteger() if bits <= 16 else sa.Integer() if bits <= 32 else sa.BigInteger()
    if pa.types.is_floating(kind):
        return sa.Float(24) if kind.bit_width <= 32 else sa.Double()
    if pa.types.is_decimal(kind):
        return sa.Numeric(min(max(kind.precision, 18), 65), kind.scale)
    if pa.types.is_timestamp(kind):
        if mysql_like:
            return mysql.DATETIME(fsp=6)
        return sa.DateTime(timezone=kind.tz is not None)
    if pa.types.is_date(kind):
        return sa.Date()
    if pa.types.is_time(kind):
        return mysql.TIME(fsp=6) if mysql_like else sa.Time()
    if pa.types.is_duration(kind):
        return sa.Interval()
    if pa.types.is_binary(kind) or pa.types.is_large_binary(kind):
        return sa.LargeBinary()
    if pa.types.is_nested(kind):
        return sa.JSON()
    return sa.String(255) if key and mysql_like else sa.Text()


def new_table(
    name: str, schema: str | None, data: pa.Table, backend: str, keys: list[str]
) -> sa.Table:
    """The table to create for ``data``; ``keys`` (upsert keys) become its primary key.

    InnoDB and utf8mb4 are asked for explicitly on MySQL/MariaDB: the sink's one transaction
    needs a transactional engine, and unicode text needs the four-byte charset whatever the
    server's defaults are.
    """
    import sqlalchemy as sa

    columns = [  # never AUTO_INCREMENT / SERIAL: a key of 0 is a value, not "give me one"
        sa.Column(
            field.name,
            column_type(field, backend, field.name in keys),
            nullable=True,
            autoincrement=False,
        )
        for field in data.schema
    ]
    extra: list[Any] = [sa.PrimaryKeyConstraint(*keys)] if keys else []
    options: dict[str, str] = {}
    if backend in ("mysql", "mariadb"):
        options = {f"{backend}_engine": "InnoDB", f"{backend}_charset": "utf8mb4"}
    table: sa.Table = sa.Table(name, sa.MetaData(), *columns, *extra, schema=schema, **options)  # type: ignore[call-overload]
    return table


def reflect(conn: sa.Connection, name: str, schema: str | None) -> sa.Table:
    """The existing table as the database describes it."""
    import sqlalchemy as sa

    return sa.Table(name, sa.MetaData(), schema=schema, autoload_with=conn)


def has_unique_key(conn: sa.Connection, table: sa.Table, keys: list[str]) -> bool:
    """Whether a primary key, unique constraint or unique index covers exactly ``keys``."""
    import sqlalchemy as sa

    inspector = sa.inspect(conn)
    wanted = set(keys)
    name, schema = table.name, table.schema
    candidates: list[list[Any]] = [
        list(inspector.get_pk_constraint(name, schema).get("constrained_columns") or [])
    ]
    candidates += [list(u["column_names"]) for u in inspector.get_unique_constraints(name, schema)]
    candidates += [
        list(i["column_names"]) for i in inspector.get_indexes(name, schema) if i["unique"]
    ]
    return any(set(c) == wanted for c in candidates if c)
