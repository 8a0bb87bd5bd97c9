"""Pandas-mode CSV reading: pyarrow's multithreaded parser, malformed lines to a reject frame.

``pyarrow.csv.read_csv`` parses blocks on every core and hands each line with the wrong number
of fields to ``invalid_row_handler``; we keep those lines instead of failing the read.

Line numbers: pyarrow knows a line's physical number only when it parses serially
(``row.number`` is ``None`` with ``use_threads=True``). So the fast parallel read runs first, and
only when it rejected something do we parse once more, serially and converting a single column,
to number the rejects. The numbers are then pyarrow's own, so they stay right with quoted line
breaks, skipped rows and transcoded encodings, and a clean file costs a single read.

Type inference matches ``pandas.read_csv``: text that merely looks like a date or time stays
text (pyarrow would infer date32 and time32; a first peek at the file finds such columns and
reads them as strings), empty strings are nulls, and ``datetime`` columns of ``dtypes`` are
parsed by pandas so both execution modes accept the same formats.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from pypeline_files.csv_format import CsvFormat

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa
    import pyarrow.csv as pv

    from pypeline_files.paths import Location

REJECT_COLUMNS = ["line_number", "raw_line", "error_message"]
#: A timestamp format no real value matches: stops pyarrow inferring timestamps from text.
_NO_TIMESTAMPS = ["\x01"]
_ARROW_TYPES = {"str": "string", "int": "int64", "float": "float64", "bool": "bool_"}


class RejectCollector:
    """``invalid_row_handler``: records each malformed line, tells pyarrow to skip it."""

    def __init__(self) -> None:
        self.rows: list[tuple[int | None, str, str]] = []

    def __call__(self, row: Any) -> str:
        message = f"expected {row.expected_columns} fields, found {row.actual_columns}"
        self.rows.append((row.number, row.text, message))
        return "skip"


def read_csv_pandas(location: Location, fmt: CsvFormat) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The file's rows as a DataFrame, plus the reject frame (line_number, raw_line, ...)."""
    import pyarrow as pa
    import pyarrow.csv as pv

    rejects = RejectCollector()
    try:
        convert = pv.ConvertOptions(
            column_types=_column_types(location, fmt),
            strings_can_be_null=True,
            timestamp_parsers=_NO_TIMESTAMPS,
        )
        with _source(location) as source:
            table = pv.read_csv(
                source,
                read_options=_read_options(fmt, use_threads=True),
                parse_options=_parse_options(fmt, rejects),
                convert_options=convert,
            )
    except pa.ArrowInvalid as err:
        hint = " (give the column a type in 'dtypes')" if "conversion error" in str(err) else ""
        raise ValueError(f"csv_source: cannot read {location.given}: {err}{hint}") from err
    rows = rejects.rows
    if any(number is None for number, _, _ in rows):
        rows = _numbered_rejects(location, fmt, table.column_names[0])
    frame = table.to_pandas(split_blocks=True, self_destruct=True)
    del table
    return _parse_datetimes(frame, fmt), reject_frame(rows)


def reject_frame(rows: list[tuple[int | None, str, str]]) -> pd.DataFrame:
    """Rejected lines in file order; an empty frame with the same columns when there are none."""
    import pandas as pd

    ordered = sorted(rows, key=lambda row: -1 if row[0] is None else row[0])
    return pd.DataFrame(
        {
            "line_number": pd.Series([r[0] for r in ordered], dtype="int64"),
            "raw_line": pd.Series([r[1] for r in ordered], dtype="str"),
            "error_message": pd.Series([r[2] for r in ordered], dtype="str"),
        }
    )


def _column_types(location: Location, fmt: CsvFormat) -> dict[str, pa.DataType]:
    """Forced types: the user's ``dtypes``, plus ``string`` for columns pyarrow would read as
    dates or times. Peeks at the first block only (``open_csv`` infers from one block)."""
    import pyarrow as pa
    import pyarrow.csv as pv

    convert = pv.ConvertOptions(strings_can_be_null=True, timestamp_parsers=_NO_TIMESTAMPS)
    with _source(location) as source:
        reader = pv.open_csv(
            source,
            read_options=_read_options(fmt, use_threads=False),
            parse_options=_parse_options(fmt, RejectCollector()),
            convert_options=convert,
        )
        schema = reader.schema
        reader.close()
    unknown = [name for name in fmt.dtypes if name not in schema.names]
    if unknown:
        raise ValueError(
            f"csv_source: dtypes names columns not in {location.given}: {', '.join(unknown)} "
            f"(columns: {', '.join(schema.names)})"
        )
    types: dict[str, pa.DataType] = {
        f.name: pa.string() for f in schema if pa.types.is_temporal(f.type)
    }
    for name, kind in fmt.dtypes.items():
        types[name] = pa.string() if kind == "datetime" else getattr(pa, _ARROW_TYPES[kind])()
    return types


def _numbered_rejects(
    location: Location, fmt: CsvFormat, first_column: str
) -> list[tuple[int | None, str, str]]:
    """Parse again serially, converting one column, so pyarrow reports each reject's line."""
    import pyarrow as pa
    import pyarrow.csv as pv

    rejects = RejectCollector()
    with _source(location) as source:
        pv.read_csv(
            source,
            read_options=_read_options(fmt, use_threads=False),
            parse_options=_parse_options(fmt, rejects),
            convert_options=pv.ConvertOptions(
                include_columns=[first_column], column_types={first_column: pa.string()}
            ),
        )
    return rejects.rows


def _read_options(fmt: CsvFormat, *, use_threads: bool) -> pv.ReadOptions:
    import pyarrow.csv as pv

    names = list(fmt.column_names) or None
    return pv.ReadOptions(
        use_threads=use_threads,
        encoding=fmt.encoding,
        # Given names replace the header line, which is then skipped like the rows above it.
        skip_rows=fmt.skip_rows + (1 if names and fmt.header else 0),
        column_names=names,
        autogenerate_column_names=not fmt.header and not names,
    )


def _parse_options(fmt: CsvFormat, handler: RejectCollector) -> pv.ParseOptions:
    import pyarrow.csv as pv

    return pv.ParseOptions(
        delimiter=fmt.delimiter,
        quote_char=fmt.quotechar,
        newlines_in_values=True,  # quoted line breaks, as pandas accepts them
        invalid_row_handler=handler,
    )


def _parse_datetimes(frame: pd.DataFrame, fmt: CsvFormat) -> pd.DataFrame:
    import pandas as pd

    for name in fmt.datetime_columns:
        frame[name] = pd.to_datetime(frame[name])
    return frame


@contextlib.contextmanager
def _source(location: Location) -> Iterator[Any]:
    """A local path goes to pyarrow as is (its own fast I/O); other URLs through fsspec."""
    if location.is_local:
        yield location.path
        return
    with location.fs.open(location.path, "rb") as handle:
        yield handle
