"""Whole-file problems of a CSV read, turned into one-line errors that say where to look.

Malformed *lines* go to ``reject``; these are problems of the file, found by either reader
(pyarrow in pandas mode, pandas' parser under Dask) and reported the same way:

- bytes that are not text in ``encoding`` (``csv_text``): an error naming the line, the byte
  offset and the encoding to try, never a column of ``b'...'`` values;
- a quote that is never closed (``csv_quotes``): an error naming the line where it opens,
  never the rest of the file as one value;
- a row longer than pyarrow's block (1 MiB; a 10 MB text field is valid CSV): read again with
  blocks 16 times larger, up to 1 GiB, instead of failing with "straddles two block boundaries".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING

from pypeline_files.csv_quotes import check_quotes_closed, unclosed_quote_error, unclosed_quote_line
from pypeline_files.csv_text import bad_text_error, binary_columns, is_text_error

if TYPE_CHECKING:
    import pyarrow as pa

    from pypeline_files.csv_format import CsvFormat
    from pypeline_files.csv_line_numbers import Reject
    from pypeline_files.paths import Location

Read = Callable[["Location", "CsvFormat"], tuple["pa.Table", list["Reject"]]]
#: pyarrow's block size is an int32; a row longer than this is not worth reading as CSV.
_LARGEST_BLOCK = 1 << 30
_GROWTH = 16


def read_guarded(read: Read, location: Location, fmt: CsvFormat) -> tuple[pa.Table, list[Reject]]:
    """``read(location, fmt)`` (pandas mode), with the file's problems said in a user's terms."""
    import pyarrow as pa

    while True:
        try:
            table, rows = read(location, fmt)
            break
        except (UnicodeDecodeError, pa.ArrowInvalid) as err:
            if is_text_error(err):
                raise bad_text_error(location, fmt) from err
            if "straddl" in str(err) and fmt.block_size < _LARGEST_BLOCK:
                block_size = min(fmt.block_size * _GROWTH, _LARGEST_BLOCK)
                fmt = dataclasses.replace(fmt, block_size=block_size)
                continue
            if "straddl" in str(err) and unclosed_quote_line(location, fmt) is not None:
                raise unclosed_quote_error(location, fmt) from err  # a "row" of over 1 GiB
            hint = " (give the column a type in 'dtypes')" if "conversion error" in str(err) else ""
            raise ValueError(f"csv_source: cannot read {location.given}: {err}{hint}") from err
    binary = binary_columns(table)
    if binary:
        raise bad_text_error(location, fmt, binary)
    check_quotes_closed(location, fmt, table, rows)
    return table, rows


def dask_read_error(location: Location, fmt: CsvFormat, err: ValueError) -> ValueError:
    """The error to raise for pandas' ``err`` while Dask reads the file: located for bad bytes
    and unclosed quotes ("EOF inside string"), else pandas' reason with a note on rejects."""
    if is_text_error(err):
        return bad_text_error(location, fmt)
    if "EOF" in str(err):
        line = unclosed_quote_line(location, fmt)
        if line is not None:
            return unclosed_quote_error(location, fmt, line)
    reason = str(err).split("Original Message: ")[-1]
    return ValueError(
        f"csv_source: cannot read {location.given}: {reason} (dask mode has no line-level "
        "rejects; execution_mode: pandas sends such lines to 'reject')"
    )
