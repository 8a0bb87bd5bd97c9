"""Physical line numbers of rejected CSV rows.

pyarrow's ``invalid_row_handler`` gets ``row.number``, but that is the row's *record* number
(blank lines and line breaks inside quoted values do not count) and it is ``None`` in the
multithreaded read. The reject port promises the physical line a user sees in an editor, so when
the fast read rejected something we parse the file once more, serially, with blank lines kept
as rows, and add up the line breaks inside the records before each reject:

    physical line of record r = r + (line breaks inside the values of records 1 .. r-1)

When no value of the file holds a line break (the common case), the pass converts one column
only; otherwise it reads every column as text to count the breaks row by row. Either way the
cost is paid only by files that have rejects. Line breaks inside the rows skipped by
``skip_rows`` are not counted.
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
    import numpy as np
    import numpy.typing as npt
    import pyarrow as pa

    from pypeline_files.csv_format import CsvFormat
    from pypeline_files.paths import Location

Reject = tuple[int | None, str, str]


def physical_rejects(location: Location, fmt: CsvFormat, fast: pa.Table) -> list[Reject]:
    """The rejects of ``location`` with physical line numbers; ``fast`` is the parallel read."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pv

    names = fast.column_names
    multiline = has_line_breaks(fast)
    rejects = RejectCollector()
    convert = pv.ConvertOptions(
        include_columns=None if multiline else names[:1],
        column_types={name: pa.string() for name in (names if multiline else names[:1])},
    )
    with open_source(location) as source:
        serial = pv.read_csv(
            source,
            read_options=read_options(fmt, use_threads=False),
            parse_options=parse_options(fmt, rejects, ignore_empty_lines=False),
            convert_options=convert,
        )
    before_data = fmt.skip_rows + (1 if fmt.header else 0)
    numbers = np.array([number or 0 for number, _, _ in rejects.rows], dtype=np.int64)
    total = before_data + serial.num_rows + len(numbers)
    breaks = np.zeros(total + 1, dtype=np.int64)  # index: record number, from 1
    if fmt.header and not fmt.column_names:
        breaks[before_data] = sum(name.count("\n") for name in names)
    breaks[numbers] = [text.count("\n") for _, text, _ in rejects.rows]
    if multiline:
        is_reject = np.zeros(total + 1, dtype=bool)
        is_reject[numbers] = True
        rows = np.flatnonzero(~is_reject[before_data + 1 :]) + before_data + 1
        if len(rows) == serial.num_rows:  # always, unless pyarrow's numbering changes
            breaks[rows] = _line_breaks_per_row(serial)
    breaks_before = np.cumsum(breaks) - breaks
    return [
        (int(number + breaks_before[number]), text, message)
        for number, (_, text, message) in zip(numbers, rejects.rows, strict=True)
    ]


def has_line_breaks(table: pa.Table) -> bool:
    """Whether any text value holds a line break."""
    return any_value_holds(table, b"\n")


def any_value_holds(table: pa.Table, needle: bytes) -> bool:
    """Whether any text value holds ``needle`` (UTF-8): a byte search of the string columns'
    data buffers (milliseconds for millions of rows, where a compute kernel takes a tenth of a
    second)."""
    import pyarrow as pa

    for column in table.columns:
        if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
            continue
        for chunk in column.chunks:
            data = chunk.buffers()[2]
            if data is not None and needle in memoryview(data).tobytes():
                return True
    return False


def _line_breaks_per_row(table: pa.Table) -> npt.NDArray[np.int64]:
    import numpy as np
    import pyarrow.compute as pc

    total = np.zeros(table.num_rows, dtype=np.int64)
    for column in table.columns:
        total += pc.fill_null(pc.count_substring(column, "\n"), 0).to_numpy()
    return total
