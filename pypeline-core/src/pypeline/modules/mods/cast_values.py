"""Converting one pandas column to a type, and telling which values would not convert.

``cast_mod``'s worker. Every converter returns the converted column (unconvertible values as
null) and a mask of the values that did not convert; nulls are not failures, they stay null.
Conversions are vectorized; Dask reaches them through ``map_partitions``, one partition at a
time, so both modes give the same values. Dtypes are pandas' nullable ones where pandas has
no other way to keep a null (``Int64``, ``boolean``, ``string``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

Converted = tuple["pd.Series", "pd.Series"]

TRUE_WORDS = ("true", "t", "yes", "y", "1")
FALSE_WORDS = ("false", "f", "no", "n", "0")
TYPES = ("int", "float", "str", "bool", "datetime", "date")


def convert(series: pd.Series, to: str, fmt: str | None) -> Converted:
    """``series`` as type ``to`` (one of ``TYPES``) and the mask of values that failed."""
    return _CONVERTERS[to](series, fmt)


def _numbers(series: pd.Series) -> pd.Series:
    import pandas as pd

    from_text = _is_text(series)
    values = series.str.strip() if from_text else series
    if pd.api.types.is_bool_dtype(series):
        values = series.astype("float64")
    return pd.to_numeric(values, errors="coerce")


def _to_int(series: pd.Series, fmt: str | None) -> Converted:
    numbers = _numbers(series)
    fraction = numbers.notna() & (numbers % 1 != 0)  # 1.5 is not an int: no silent rounding
    failed = (series.notna() & numbers.isna()) | fraction
    return numbers.where(~fraction).astype("Int64"), failed


def _to_float(series: pd.Series, fmt: str | None) -> Converted:
    numbers = _numbers(series).astype("float64")
    return numbers, series.notna() & numbers.isna()


def _to_str(series: pd.Series, fmt: str | None) -> Converted:
    return series.astype("string"), _none(series)  # every value has a text form


def _to_bool(series: pd.Series, fmt: str | None) -> Converted:
    import pandas as pd

    if pd.api.types.is_bool_dtype(series):
        values = series.astype("boolean")
    elif pd.api.types.is_numeric_dtype(series):
        values = series.map({1: True, 0: False}).astype("boolean")
    else:
        words = {**dict.fromkeys(TRUE_WORDS, True), **dict.fromkeys(FALSE_WORDS, False)}
        text = series.astype("string").str.strip().str.lower()
        values = text.map(words).astype("boolean")
    return values, series.notna() & values.isna()


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


def _is_text(series: pd.Series) -> bool:
    import pandas as pd

    return series.dtype != object and bool(pd.api.types.is_string_dtype(series))


_CONVERTERS: dict[str, Callable[[Any, str | None], Converted]] = {
    "int": _to_int,
    "float": _to_float,
    "str": _to_str,
    "bool": _to_bool,
    "datetime": _to_datetime,
    "date": _to_date,
}
