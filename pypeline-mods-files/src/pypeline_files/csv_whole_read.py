"""One parallel pyarrow read of a whole CSV file: at full speed where that is exact.

pyarrow's fastest read (``newlines_in_values`` off) cuts the file into blocks at line breaks,
blind to quotes, and parses the blocks in parallel. A quote that spans a line break — a
multi-line value, or a quote never closed — makes a block's parser stop early, and the threaded
reader then *drops the rest of that block in silence* (seen with pyarrow 26: an unclosed quote
in a 7 MB file lost 49,170 rows, no error, no reject). Only quote characters can make blocks and
records disagree, so:

- a file whose first block (the peek, ``csv_peek``) holds no quote character is read fast with
  quoting off, which cannot lose sync. That result is kept if no value, column name or rejected
  line holds a quote character: then the file holds none, and quoting would change nothing;
- any other file is read quote-aware (``newlines_in_values`` on: a serial lexing pass, some
  20% slower): multi-line values are read whole, and an unclosed quote runs to the end of the
  file, where ``csv_quotes`` finds it.

The machine-written files most pipelines read (no quotes at all) cost one fast read, as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pypeline_files.csv_arrow_options import (
    RejectCollector,
    open_source,
    parse_options,
    read_options,
)

if TYPE_CHECKING:
    import pyarrow as pa
    import pyarrow.csv as pv

    from pypeline_files.csv_format import CsvFormat
    from pypeline_files.paths import Location


def read_whole(
    location: Location, fmt: CsvFormat, convert: pv.ConvertOptions, *, quoted: bool
) -> tuple[pa.Table, RejectCollector]:
    """The whole file as a table, and its malformed lines; ``quoted``: the first block holds
    the quote character, so the fast read is not even tried."""
    import pyarrow as pa

    if not quoted:
        try:
            table, rejects = _read(location, fmt, convert, quoting=False)
        except pa.ArrowInvalid:
            pass  # a value that does not convert, a long row: the quote-aware read decides
        else:
            if not _holds_quote(table, rejects, fmt.quotechar):
                return table, rejects
            del table
    return _read(location, fmt, convert, quoting=True)


def _holds_quote(table: pa.Table, rejects: RejectCollector, quote: str) -> bool:
    from pypeline_files.csv_line_numbers import any_value_holds

    return (
        any(quote in name for name in table.column_names)
        or any(quote in text for _, text, _ in rejects.rows)
        or any_value_holds(table, quote.encode("utf-8"))
    )


def _read(
    location: Location, fmt: CsvFormat, convert: pv.ConvertOptions, *, quoting: bool
) -> tuple[pa.Table, RejectCollector]:
    """One parallel read; malformed rows are collected, not fatal."""
    import pyarrow.csv as pv

    rejects = RejectCollector()
    with open_source(location) as source:
        table = pv.read_csv(
            source,
            read_options=read_options(fmt, use_threads=True),
            parse_options=parse_options(fmt, rejects, multiline=quoting, quoting=quoting),
            convert_options=convert,
        )
    return table, rejects
