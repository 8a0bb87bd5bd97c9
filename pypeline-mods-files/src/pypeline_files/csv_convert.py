"""Declared ``dtypes`` applied value by value, so one bad value rejects its row, not the file.

pyarrow converts typed columns while it parses and stops the whole read at the first value it
cannot convert. Talend's tFileInputDelimited instead sends such a row to its reject flow and
carries on, and that is what ``csv_source`` promises. When the typed read fails, the declared
int and float columns are read again as text and converted here: a vectorized check
(a regular expression per type, then pyarrow's cast) finds the values that do not convert;
their rows are collected in ``bad`` (data row position → reasons) for ``csv_source`` to drop
and send to ``reject``. A clean file never comes here: its single typed read is the fast path.

``datetime`` columns are always read as text and parsed by ``pandas.to_datetime`` (so both
modes accept the same formats); a value it cannot parse rejects its row the same way. ``bool``
columns are always read as text too and parsed by ``pypeline.sdk.values.parse_bool_arrow``:
the spellings ``cast_mod`` and ``to_bool`` take, not pyarrow's narrower ones.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

    from pypeline_files.csv_format import CsvFormat

#: data row position (0-based, in the parsed table) → why its values did not convert.
BadRows = dict[int, list[str]]

#: What pyarrow's CSV parser accepts for each type (surrounding spaces are trimmed first).
_PATTERNS = {
    "int": r"^-?[0-9]+$",
    "float": r"(?i)^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)(e[+-]?[0-9]+)?$|^[+-]?(inf|infinity|nan)$",
}
_ARROW_TYPES = {"int": "int64", "float": "float64"}


def text_types(fmt: CsvFormat) -> dict[str, str]:
    """The declared columns that ``convert_columns`` converts: read those as text."""
    return {name: kind for name, kind in fmt.dtypes.items() if kind in _ARROW_TYPES}


def convert_columns(table: pa.Table, fmt: CsvFormat, bad: BadRows) -> pa.Table:
    """Convert the declared int/float/bool columns (read as text); bad values become nulls and
    their rows are recorded in ``bad``."""
    import pyarrow as pa

    for name, kind in text_types(fmt).items():
        target = getattr(pa, _ARROW_TYPES[kind])()
        index = table.schema.get_field_index(name)
        converted = _convert(table.column(name), name, target, kind, bad)
        table = table.set_column(index, name, converted)
    return table


def without_rows(table: pa.Table, bad: BadRows) -> pa.Table:
    """The table without the bad rows."""
    import numpy as np
    import pyarrow as pa

    keep = np.ones(table.num_rows, dtype=bool)
    keep[list(bad)] = False
    return table.filter(pa.array(keep))


def parse_datetimes(table: pa.Table, fmt: CsvFormat, bad: BadRows) -> pa.Table:
    """Parse the ``datetime`` columns (read as text) with ``pandas.to_datetime``, as Dask mode
    does; a value it cannot parse marks its row bad. pandas is imported only for these."""
    import numpy as np
    import pyarrow as pa

    for name in fmt.datetime_columns:
        import pandas as pd

        text = table.column(name).to_pandas()
        parsed = pd.to_datetime(text, errors="coerce")
        failed = np.flatnonzero((parsed.isna() & text.notna()).to_numpy())
        for row in failed.tolist():
            _note(bad, row, name, text.iloc[row], "datetime")
        index = table.schema.get_field_index(name)
        table = table.set_column(index, name, pa.array(parsed))
    return table


def parse_bools(table: pa.Table, fmt: CsvFormat, bad: BadRows) -> pa.Table:
    """Parse the ``bool`` columns (read as text) with the shared spellings, in Arrow; a value
    that is not one marks its row bad."""
    import numpy as np
    import pyarrow as pa

    from pypeline.sdk.values import parse_bool_arrow

    for name in fmt.bool_columns:
        text = table.column(name)
        values, failed = parse_bool_arrow(text)
        rows = np.flatnonzero(failed.to_numpy(zero_copy_only=False)).tolist()
        for row, value in zip(rows, text.take(pa.array(rows, pa.int64())).to_pylist(), strict=True):
            _note(bad, row, name, value, "bool")
        table = table.set_column(table.schema.get_field_index(name), name, values)
    return table


def _convert(
    column: pa.ChunkedArray, name: str, target: pa.DataType, kind: str, bad: BadRows
) -> pa.Array:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    trimmed = pc.utf8_trim_whitespace(column).combine_chunks()
    try:
        return pc.cast(trimmed, target)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    matches = pc.fill_null(pc.match_substring_regex(trimmed, _PATTERNS[kind]), True)
    invalid = pc.invert(matches)
    rows = np.flatnonzero(invalid.to_numpy(zero_copy_only=False)).tolist()
    cleaned = pc.if_else(invalid, pa.scalar(None, pa.string()), trimmed)
    try:
        converted = pc.cast(cleaned, target)
    except pa.ArrowInvalid:  # matched the pattern but out of range, e.g. a 20-digit int
        overflow = _failing(cleaned, target)
        rows = sorted({*rows, *overflow})
        mask = np.zeros(len(cleaned), dtype=bool)
        mask[overflow] = True
        converted = pc.cast(pc.if_else(mask, pa.scalar(None, pa.string()), cleaned), target)
    values = column.take(pa.array(rows, pa.int64())).to_pylist()
    for row, value in zip(rows, values, strict=True):
        _note(bad, row, name, value, kind)
    return converted


def _failing(values: pa.Array, target: pa.DataType) -> list[int]:
    """Positions whose value does not cast, by halving the array: cheap when they are few."""
    import pyarrow as pa
    import pyarrow.compute as pc

    pending, found = [(0, len(values))], []
    while pending:
        start, stop = pending.pop()
        try:
            pc.cast(values.slice(start, stop - start), target)
        except pa.ArrowInvalid:
            if stop - start == 1:
                found.append(start)
            else:
                middle = (start + stop) // 2
                pending += [(middle, stop), (start, middle)]
    return found


def _note(bad: BadRows, row: int, column: str, value: object, kind: str) -> None:
    bad.setdefault(row, []).append(f"column {column!r}: cannot convert {value!r} to {kind}")
