"""Converting one pandas column to a type, and telling which values would not convert.

``cast_mod``'s worker. Every converter returns the converted column (unconvertible values as
null) and a mask of the values that did not convert; nulls are not failures, they stay null.
Conversions are vectorized; Dask reaches them through ``map_partitions``, one partition at a
time, so both modes give the same values. Numbers and booleans are read by
``pypeline.sdk.values``, the rules ``to_number``, ``to_bool`` and ``csv_source`` share. Dtypes
are pandas' nullable ones where pandas has no other way to keep a null (``Int64``,
``boolean``, ``string``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pypeline.sdk.values import parse_bool, parse_number

if TYPE_CHECKING:
    import pandas as pd

Converted = tuple["pd.Series", "pd.Series"]

TYPES = ("int", "float", "str", "bool", "datetime", "date")


def convert(series: pd.Series, to: str, fmt: str | None, decimal: str = ".") -> Converted:
    """``series`` as type ``to`` (one of ``TYPES``) and the mask of values that failed;
    ``fmt`` is a datetime column's format, ``decimal`` the decimal separator of numbers."""
    return _CONVERTERS[to](series, fmt if to in ("datetime", "date") else decimal)


def _to_int(series: pd.Series, decimal: str | None) -> Converted:
    numbers, failed = parse_number(series, decimal or ".")
    fraction = numbers.notna() & (numbers % 1 != 0)  # 1.5 is not an int: no silent rounding
    return numbers.where(~fraction).astype("Int64"), failed | fraction


def _to_float(series: pd.Series, decimal: str | None) -> Converted:
    numbers, failed = parse_number(series, decimal or ".")
    return numbers.astype("float64"), failed


def _to_str(series: pd.Series, fmt: str | None) -> Converted:
    return series.astype("string"), _none(series)  # every value has a text form


def _to_bool(series: pd.Series, fmt: str | None) -> Converted:
    return parse_bool(series)


def _to_datetime(series: pd.Series, fmt: str | None) -> Converted:
    import pandas as pd

    if pd.api.types.is_datetime64_any_dtype(series):
        return series, _none(series)
    text = series.astype("string").str.strip()  # 20240105 with format %Y%m%d is text to parse
    values = pd.to_datetime(text, errors="coerce", format=fmt or "ISO8601")
    return values, series.notna() & values.isna()


def _to_date(series: pd.Series, fmt: str | None) -> Converted:
    values, failed = _to_datetime(series, fmt)
    return values.dt.normalize(), failed


def _none(series: pd.Series) -> pd.Series:
    return series.isna() & False


_CONVERTERS: dict[str, Callable[[Any, str | None], Converted]] = {
    "int": _to_int,
    "float": _to_float,
    "str": _to_str,
    "bool": _to_bool,
    "datetime": _to_datetime,
    "date": _to_date,
}
