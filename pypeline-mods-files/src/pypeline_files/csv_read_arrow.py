"""Pandas-mode CSV reading: pyarrow's multithreaded parser, malformed lines to a reject frame.

``pyarrow.csv.read_csv`` parses blocks on every core and hands each line with the wrong number
of fields to ``invalid_row_handler``; we keep those lines instead of failing the read. Their
physical line numbers are worked out afterwards, only when there are any
(``csv_line_numbers``): a clean file costs a single read (plus a peek at its first block;
how the whole-file read stays exact around quotes is ``csv_whole_read``'s business).
A value that does not convert to its declared ``dtypes`` type rejects its row too
(``csv_convert``, ``csv_row_lines``); only files that have one pay for a second read.

Type inference matches ``pandas.read_csv``: text that merely looks like a date or time stays
text (pyarrow would infer date32 and time32; a first peek at the file finds such columns and
reads them as strings), empty strings are nulls, and ``datetime`` columns of ``dtypes`` are
parsed by ``pandas.to_datetime`` so both execution modes accept the same formats.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pypeline_files.csv_arrow_options import NO_TIMESTAMPS, RejectCollector

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


def read_csv_arrow(location: Location, fmt: CsvFormat) -> tuple[pa.Table, list[Reject]]:
    """The file's good rows as an Arrow table, and the rejected lines (line number, text,
    reason): malformed lines and rows with a value that does not convert to its declared type.
    Converting to pandas is left to whoever needs pandas (``arrow_artifact``). Bad bytes, an
    unclosed quote and rows longer than a block are ``csv_guards``' business."""
    from pypeline_files.csv_guards import read_guarded

    return read_guarded(_read_with_rejects, location, fmt)


def _read_with_rejects(location: Location, fmt: CsvFormat) -> tuple[pa.Table, list[Reject]]:
    from pypeline_files.csv_convert import parse_bools, parse_datetimes, without_rows
    from pypeline_files.csv_line_numbers import physical_rejects
    from pypeline_files.csv_row_lines import row_lines

    table, rejects, bad = _read_typed(location, fmt)
    rows = physical_rejects(location, fmt, table) if rejects.rows else []
    table = parse_bools(parse_datetimes(table, fmt, bad), fmt, bad)
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
    from pypeline_files.csv_whole_read import read_whole

    types, quoted = column_types(location, fmt)
    bad: BadRows = {}
    try:
        table, rejects = read_whole(location, fmt, _convert_options(types), quoted=quoted)
    except pa.ArrowInvalid as err:
        if "conversion error" not in str(err) or not text_types(fmt):
            raise
        as_text = _convert_options({**types, **{name: pa.string() for name in text_types(fmt)}})
        table, rejects = read_whole(location, fmt, as_text, quoted=quoted)
        table = convert_columns(table, fmt, bad)
    return table, rejects, bad


def _convert_options(types: dict[str, pa.DataType]) -> pv.ConvertOptions:
    import pyarrow.csv as pv

    return pv.ConvertOptions(
        column_types=types, strings_can_be_null=True, timestamp_parsers=NO_TIMESTAMPS
    )


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
