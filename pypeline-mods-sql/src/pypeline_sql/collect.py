"""Rows fetched chunk by chunk, kept as compact Arrow columns, then one pandas DataFrame.

Each chunk of driver rows becomes Arrow columns at once, so memory holds the result in
columnar form plus one chunk of Python objects, never the whole result as row objects. Once a
chunk has shown the columns' types, later chunks go to Arrow in one C++ pass (the rows as a
struct array, split into columns), several times faster than transposing them in Python; a
chunk that does not fit those types (a wider decimal, a first non-null value) takes the slow
path, which infers and widens. Arrow is only a container here; ``_series`` decides what a user
sees: integers stay ``int64`` (``Int64`` when they hold nulls), booleans ``bool`` (``boolean``
with nulls), text pandas' ``str``, time-zone aware timestamps UTC.

A column Arrow cannot hold as the driver gave it stays Python objects, as ``pandas.read_sql``
would give: values Arrow cannot type (UUIDs, SQLite columns mixing text and numbers) and
nested values (JSON objects and arrays, which Arrow would turn into structs and numpy arrays).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from pypeline_sql.fetch import Processor

PROBE_ROWS = 1000
_ARROW_ERRORS = (TypeError, ValueError, OverflowError)  # ArrowInvalid is a ValueError


class Collector:
    """Accumulates the chunks of one result; ``frame()`` gives the DataFrame."""

    def __init__(self, names: list[str], processors: list[Processor] | None = None) -> None:
        self.names = names
        self.processors = processors or [None] * len(names)
        self.columns = [_Column() for _ in names]
        self.row_type: pa.DataType | None = None

    def add(self, rows: list[tuple[Any, ...]]) -> None:
        """One chunk of rows, as the driver returned them."""
        if not rows:
            return
        if self.row_type is None and len(rows) > PROBE_ROWS:  # learn the types on a few rows
            self.add(rows[:PROBE_ROWS])
            self.add(rows[PROBE_ROWS:])
            return
        if self.row_type is not None and self._add_fast(rows):
            return
        for column, values, processor in zip(
            self.columns, zip(*rows, strict=True), self.processors, strict=True
        ):
            column.add([processor(v) for v in values] if processor else list(values))
        self.row_type = self._row_type()

    def _add_fast(self, rows: list[tuple[Any, ...]]) -> bool:
        import pyarrow as pa

        try:
            arrays = pa.array(rows, type=self.row_type).flatten()
        except _ARROW_ERRORS:
            return False
        for column, array in zip(self.columns, arrays, strict=True):
            column.chunks.append(array)
        return True

    def _row_type(self) -> pa.DataType | None:
        """The struct type of a row, when every column is plain Arrow and needs no processor."""
        import pyarrow as pa

        if any(self.processors) or any(c.objects is not None for c in self.columns):
            return None
        kinds = [column.chunks[-1].type for column in self.columns]
        if any(pa.types.is_null(kind) for kind in kinds):
            return None
        return pa.struct([pa.field(f"c{i}", kind) for i, kind in enumerate(kinds)])

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
            except _ARROW_ERRORS:
                array = None
            if array is not None and not pa.types.is_nested(array.type):
                self.chunks.append(array)
                return
            self.objects = [value for chunk in self.chunks for value in chunk.to_pylist()]
            self.chunks = []
        self.objects.extend(values)

    def series(self) -> pd.Series:
        import pandas as pd

        if self.objects is None:
            try:
                return _series(_concat(self.chunks))
            except _ARROW_ERRORS:  # e.g. text in one chunk, numbers in the next
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
