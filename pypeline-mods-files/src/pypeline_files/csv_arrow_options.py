"""pyarrow CSV options built from a ``CsvFormat``, shared by every pyarrow pass over a file.

The fast read, the first-block peek and the line-numbering pass must cut the file into the same
rows, so they all take their options from here.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow.csv as pv

    from pypeline_files.csv_format import CsvFormat
    from pypeline_files.paths import Location

#: A timestamp format no real value matches: stops pyarrow inferring timestamps from text,
#: which pandas.read_csv does not do either.
NO_TIMESTAMPS = ["\x01"]


class RejectCollector:
    """``invalid_row_handler``: records each malformed row, tells pyarrow to skip it.

    ``row.number`` is pyarrow's 1-based *record* number (header and skipped rows included) and
    is known only in serial parsing; ``csv_line_numbers`` turns it into a physical line.
    """

    def __init__(self) -> None:
        self.rows: list[tuple[int | None, str, str]] = []

    def __call__(self, row: Any) -> str:
        message = f"expected {row.expected_columns} fields, found {row.actual_columns}"
        self.rows.append((row.number, row.text, message))
        return "skip"


def read_options(fmt: CsvFormat, *, use_threads: bool) -> pv.ReadOptions:
    import pyarrow.csv as pv

    names = list(fmt.column_names) or None
    return pv.ReadOptions(
        use_threads=use_threads,
        block_size=fmt.block_size,
        encoding=fmt.encoding,
        # Given names replace the header line, which is then skipped like the rows above it.
        skip_rows=fmt.skip_rows + (1 if names and fmt.header else 0),
        column_names=names,
        autogenerate_column_names=not fmt.header and not names,
    )


def parse_options(
    fmt: CsvFormat,
    handler: RejectCollector,
    *,
    multiline: bool = True,
    ignore_empty_lines: bool = True,
    quoting: bool = True,
) -> pv.ParseOptions:
    """``multiline``: let quoted values hold line breaks even across pyarrow's blocks, which
    costs the parallel read a lexing pass (~20%); ``quoting`` false reads quote characters as
    text. ``csv_whole_read`` turns both off only where that cannot change the result."""
    import pyarrow.csv as pv

    return pv.ParseOptions(
        delimiter=fmt.delimiter,
        quote_char=fmt.quotechar if quoting else False,
        newlines_in_values=multiline,
        ignore_empty_lines=ignore_empty_lines,
        invalid_row_handler=handler,
    )


@contextlib.contextmanager
def open_source(location: Location) -> Iterator[Any]:
    """The file's decompressed bytes as pyarrow takes them: a local path as is (its own fast
    I/O, decompressing gzip, bz2 and zstd by extension), anything else as a file object
    (``compression.open_input``)."""
    from pypeline_files.compression import open_input

    with open_input(location, "csv_source") as source:
        yield source
