"""Physical line number and text of chosen data rows, for rows rejected after parsing.

A row whose value does not convert to its declared type was parsed fine, so pyarrow never
showed us its text, and its position in the table does not give its line: blank lines, quoted
line breaks and malformed lines sit in between. Python's ``csv`` reader sees all three (a blank
line is an empty record; ``line_num`` counts physical lines), so one pass with the same dialect
finds, for each wanted row, where it starts and what it says. The pass walks the whole file in
Python, which is why it runs only when some value failed to convert.
"""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pypeline_files.csv_format import CsvFormat
    from pypeline_files.paths import Location

#: A record's fields, its physical lines (with their line breaks), its first line's number.
Record = tuple[list[str], list[str], int]
_FIELD_LIMIT = 2**31 - 1


class _Recording:
    """Feeds the csv reader line by line and keeps the lines of the record being read."""

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = lines
        self.current: list[str] = []

    def __iter__(self) -> _Recording:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.current.append(line)
        return line


def row_lines(
    location: Location, fmt: CsvFormat, columns: int, wanted: set[int]
) -> dict[int, tuple[int, str]]:
    """Data row position (0-based, as in the parsed table) → (physical line, raw text).

    Records are counted the way pyarrow counts them: ``skip_rows`` records, the header, then
    data records, where blank lines and records with the wrong number of fields (malformed,
    rejected on their own) are not rows.
    """
    found: dict[int, tuple[int, str]] = {}
    if not wanted:
        return found
    last = max(wanted)
    with open_records(location, fmt) as records:
        leading = fmt.skip_rows + (1 if fmt.header else 0)
        position = -1
        for number, record in enumerate(records):
            fields, lines, first_line = record
            if number < leading or not fields or len(fields) != columns:
                continue
            position += 1
            if position in wanted:
                found[position] = (first_line, _strip_terminator("".join(lines)))
                if position == last:
                    break
    return found


@contextlib.contextmanager
def open_records(location: Location, fmt: CsvFormat) -> Iterator[Iterator[Record]]:
    """The file's records, each with its physical lines and the number of its first line.

    Python's csv module refuses fields over 128 KiB by default; a CSV value may be larger
    (a 10 MB text field is valid CSV), so the limit is raised, for the whole process.
    """
    from pypeline_files.compression import open_binary_input

    csv.field_size_limit(max(csv.field_size_limit(), _FIELD_LIMIT))
    with (
        open_binary_input(location, "csv_source") as raw,
        io.TextIOWrapper(raw, encoding=fmt.encoding, newline="") as text,
    ):
        source = _Recording(iter(text))
        reader = csv.reader(source, delimiter=fmt.delimiter, quotechar=fmt.quotechar)
        yield _records(reader, source)


def _records(reader: Iterator[list[str]], source: _Recording) -> Iterator[Record]:
    """Each record with its physical lines and the number of its first line (from 1)."""
    line = 0
    while True:
        source.current = []
        try:
            fields = next(reader)
        except StopIteration:
            return
        lines = source.current
        yield fields, lines, line + 1
        line += len(lines)


def _strip_terminator(text: str) -> str:
    """pyarrow's reject text has no final line break; ours neither."""
    for ending in ("\r\n", "\n", "\r"):
        if text.endswith(ending):
            return text[: -len(ending)]
    return text
