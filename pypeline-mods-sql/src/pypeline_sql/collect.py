"""Rows fetched chunk by chunk, kept as compact Arrow columns, then one pandas DataFrame.

Each chunk of driver rows is transposed and every column turned into an Arrow array at once,
so memory holds the result in columnar form plus one chunk of Python objects, never the whole
result as row objects. Arrow is only a container here; what a user sees is decided in
``_series``: integers stay ``int64`` (``Int64`` when they hold nulls), booleans ``bool``
(``boolean`` with nulls), text pandas' ``str``, time-zone aware timestamps UTC.

A column Arrow cannot hold as the driver gave it stays Python objects, as ``pandas.read_sql``
would give: values Arrow cannot type (UUIDs, SQLite columns mixing text and numbers) and
nested values (JSON objects and arrays, which Arrow would turn into structs and numpy arrays).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa


class Collector:
    """Accumulates the chunks of one result; ``frame()`` gives the DataFrame."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        self.columns = [_Column() for _ in names]

    def add(self, rows: Any) -> None:
        """One chunk of rows (tuples or SQLAlchemy ``Row`` objects)."""
        if not rows:
            return
        for column, values in zip(self.columns, zip(*rows, strict=True), strict=True):
            column.add(list(values))

    def frame(self) -> pd.DataFrame:
        import pandas as pd

        frame = pd.DataFrame({i: column.series() for i, column in enumerate(self.columns)})
        frame.columns = pd.Index(self.names)
        return frame


class _Column:
    def __init__(self) -> None:
        self.chunks: list[pa.Array] = []
        self.objects: list[Any] | None = None

    def add(self, values: list[Any]) -> None:
        import pyarrow as pa

        if self.objects is None:
            try:
                array = pa.array(values)
            except (pa.ArrowException, TypeError, ValueError, OverflowError):
                array = None
            if array is not None and not pa.types.is_nested(array.type):
                self.chunks.append(array)
                return
            self.objects = [value for chunk in self.chunks for value in chunk.to_pylist()]
            self.chunks = []
        self.objects.extend(values)

    def series(self) -> pd.Series:
        import pandas as pd
        import pyarrow as pa

        if self.objects is None:
            try:
                return _series(_concat(self.chunks))
            except pa.ArrowException:  # e.g. text in one chunk, numbers in the next
                self.objects = [value for chunk in self.chunks for value in chunk.to_pylist()]
        return pd.Series(self.objects, dtype=object)


def _concat(chunks: list[pa.Array]) -> pa.ChunkedArray:
    """One column from its chunks, widened to a type that holds them all (null → int, ...)."""
    import pyarrow as pa

    if not chunks:
        return pa.chunked_array([], pa.null())
    fields = [pa.schema([pa.field("c", chunk.type)]) for chunk in chunks]
    common = pa.unify_schemas(fields, promote_options="permissive").field("c").type
    return pa.chunked_array([chunk.cast(common) for chunk in chunks], common)


def _series(column: pa.ChunkedArray) -> pd.Series:
    import pandas as pd
    import pyarrow as pa

    kind = column.type
    if pa.types.is_null(kind):
        return pd.Series([None] * len(column), dtype=object)
    if column.null_count and pa.types.is_integer(kind):
        return column.to_pandas(types_mapper=lambda _t: pd.Int64Dtype())
    if column.null_count and pa.types.is_boolean(kind):
        return column.to_pandas(types_mapper=lambda _t: pd.BooleanDtype())
    series = column.to_pandas()
    if pa.types.is_timestamp(kind) and kind.tz is not None:
        series = series.dt.tz_convert("UTC")  # the instant the database stored, not a zone
    return series
