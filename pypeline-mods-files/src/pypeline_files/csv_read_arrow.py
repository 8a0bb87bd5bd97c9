"""Pandas-mode CSV reading: pyarrow's multithreaded parser, malformed lines to a reject frame.

``pyarrow.csv.read_csv`` parses blocks on every core and hands each line with the wrong number
of fields to ``invalid_row_handler``; we keep those lines instead of failing the read. Their
physical line numbers are worked out afterwards, only when there are any
(``csv_line_numbers``): a clean file costs a single read (plus a peek at its first block).
A value that does not convert to its declared ``dtypes`` type rejects its row too
(``csv_convert``, ``csv_row_lines``); only files that have one pay for a second read.

Type inference matches ``pandas.read_csv``: text that merely looks like a date or time stays
text (pyarrow would infer date32 and time32; a first peek at the file finds such columns and
reads them as strings), empty strings are nulls, and ``datetime`` columns of ``dtypes`` are
parsed by ``pandas.to_datetime`` so both execution modes accept the same formats.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pypeline_files.csv_arrow_options import (
    NO_TIMESTAMPS,
    RejectCollector,
    open_source,
    parse_options,
    read_options,
)

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa
    import pyarrow.csv as pv

    from pypeline_files.csv_convert import BadRows
    from pypeline_files.csv_format import CsvFormat
    from pypeline_files.csv_line_numbers import Reject
    from pypeline_files.paths import Location


def reject_schema() -> pa.Schema:
    """The reject port's columns (a function: pyarrow is imported only when needed)."""
    import pyarrow as pa

    return pa.schema(
        [("line_number", pa.int64()), ("raw_line", pa.string()), ("error_message", pa.string())]
    )


def read_csv_pandas(location: Location, fmt: CsvFormat) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``read_csv_arrow`` as pandas frames (what tests and pandas-only callers want)."""
    table, rows = read_csv_arrow(location, fmt)
    return table.to_pandas(split_blocks=True, self_destruct=True), reject_frame(rows)


def read_csv_arrow(location: Location, fmt: CsvFormat) -> tuple[pa.Table, list[Reject]]:
    """The file's good rows as an Arrow table, and the rejected lines (line number, text,
    reason): malformed lines and rows with a value that does not convert to its declared type.
    Converting to pandas is left to whoever needs pandas (``arrow_artifact``)."""
    import pyarrow as pa

    from pypeline_files.csv_convert import parse_datetimes, without_rows
    from pypeline_files.csv_line_numbers import physical_rejects
    from pypeline_files.csv_row_lines import row_lines

    try:
        table, rejects, bad = _read_typed(location, fmt)
    except pa.ArrowInvalid as err:
        hint = " (give the column a type in 'dtypes')" if "conversion error" in str(err) else ""
        raise ValueError(f"csv_source: cannot read {location.given}: {err}{hint}") from err
    rows = physical_rejects(location, fmt, table) if rejects.rows else []
    table = parse_datetimes(table, fmt, bad)
    if bad:
        lines = row_lines(location, fmt, table.num_columns, set(bad))
        for row, reasons in bad.items():
            number, text = lines.get(row, (0, ""))
            rows.append((number, text, "; ".join(reasons)))
        # Dropped in Arrow, so an int column keeps int64 in pandas (no nulls left behind).
        table = without_rows(table, bad)
    return table, rows


def _read_typed(location: Location, fmt: CsvFormat) -> tuple[pa.Table, RejectCollector, BadRows]:
    """One typed read; if a declared type fails on some value, a second read with those
    columns as text, converted value by value (``csv_convert``) so bad rows can be rejected."""
    import pyarrow as pa

    from pypeline_files.csv_convert import convert_columns, text_types
    from pypeline_files.csv_peek import column_types

    types = column_types(location, fmt)
    bad: BadRows = {}
    try:
        table, rejects = _read_whole(location, fmt, _convert_options(types))
    except pa.ArrowInvalid as err:
        if "conversion error" not in str(err) or not text_types(fmt):
            raise
        as_text = {name: pa.string() for name in text_types(fmt)}
        table, rejects = _read_whole(location, fmt, _convert_options({**types, **as_text}))
        table = convert_columns(table, fmt, bad)
    return table, rejects, bad


def _convert_options(types: dict[str, pa.DataType]) -> pv.ConvertOptions:
    import pyarrow.csv as pv

    return pv.ConvertOptions(
        column_types=types, strings_can_be_null=True, timestamp_parsers=NO_TIMESTAMPS
    )


def _read_whole(
    location: Location, fmt: CsvFormat, convert: pv.ConvertOptions
) -> tuple[pa.Table, RejectCollector]:
    """Read at full speed, and again with multi-line values on only if the file needs it.

    The first read assumes no quoted value spans two of pyarrow's blocks (the costly
    ``newlines_in_values`` off). A value cut at a block boundary leaves a reject with an odd
    number of quote characters or makes pyarrow's chunker lose sync; an uncut one shows as a
    line break in a text value. Any of these signs makes us read again, correctly. Files whose
    values hold no line breaks, nearly all of them, are read once.
    """
    import pyarrow as pa

    from pypeline_files.csv_line_numbers import has_line_breaks

    try:
        table, rejects = _read(location, fmt, convert, multiline=False)
    except pa.ArrowInvalid as err:
        if "newlines_in_values" not in str(err):  # pyarrow: "parser got out of sync ..."
            raise
    else:
        cut = any(text.count(fmt.quotechar) % 2 for _, text, _ in rejects.rows)
        if not cut and not has_line_breaks(table):
            return table, rejects
        del table
    return _read(location, fmt, convert, multiline=True)


def _read(
    location: Location, fmt: CsvFormat, convert: pv.ConvertOptions, *, multiline: bool
) -> tuple[pa.Table, RejectCollector]:
    """One parallel pyarrow read of the whole file; malformed rows are collected, not fatal."""
    import pyarrow.csv as pv

    rejects = RejectCollector()
    with open_source(location) as source:
        table = pv.read_csv(
            source,
            read_options=read_options(fmt, use_threads=True),
            parse_options=parse_options(fmt, rejects, multiline=multiline),
            convert_options=convert,
        )
    return table, rejects


def reject_table(rows: list[Reject]) -> pa.Table:
    """Rejected lines in file order; an empty table with the same columns when there are none."""
    import pyarrow as pa

    if not rows:  # built from the schema: pa.array() on a list would import pandas
        return pa.Table.from_batches([], schema=reject_schema())
    ordered = sorted(rows, key=lambda row: row[0] or 0)
    return pa.table(
        {
            "line_number": pa.array([r[0] or 0 for r in ordered], pa.int64()),
            "raw_line": pa.array([r[1] for r in ordered], pa.string()),
            "error_message": pa.array([r[2] for r in ordered], pa.string()),
        }
    )


def reject_frame(rows: list[Reject]) -> pd.DataFrame:
    """``reject_table`` as a pandas frame: line_number int64, raw_line and error_message str."""
    return reject_table(rows).to_pandas()
