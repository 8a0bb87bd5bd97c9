"""Whether a ``fill_nulls_mod`` value fits its column, decided from the dtype alone.

pandas' ``fillna`` would put the text 'unknown' into a float column by turning the whole column
into Python objects, and a YAML ``zip: 00000`` (the number 0) into a text column as 0: either
way a later module meets a type it did not expect, far from the cause. So a value must fit its
column's type, and one that does not is a run error naming the column, the value and what the
column takes. Only dtypes are read (Dask's metadata in dask mode), never the rows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pypeline.modules.mods.frame_errors import FrameError

#: What a fill value may be in YAML: one value of a column, never a list, mapping or null.
SCALARS = (str, int, float, bool, dt.date)


def shape_problem(column: object, value: object) -> str | None:
    """Why ``value`` cannot fill a column at all, whatever its type (``check_config``)."""
    if not (isinstance(column, str) and column):
        return f"{column!r}: a column name must be text"
    if value is None:
        return f"{column}: a fill value must not be null"
    if not isinstance(value, SCALARS):
        return f"{column}: must be one value (text, a number, true/false or a date), not {value!r}"
    return None


def fitted(value: Any, dtype: Any, column: str, where: str) -> Any:
    """``value`` as the column's type takes it, or ``FrameError`` saying what it takes."""
    from pandas.api import types

    is_bool, is_number = isinstance(value, bool), isinstance(value, int | float)
    if types.is_bool_dtype(dtype):
        fits, wanted = is_bool, "true or false"
    elif types.is_integer_dtype(dtype):
        fits = is_number and not is_bool and float(value).is_integer()
        value, wanted = int(value) if fits else value, "a whole number"
    elif types.is_float_dtype(dtype):
        fits, wanted = is_number and not is_bool, "a number"
    elif types.is_datetime64_any_dtype(dtype):
        value, fits = _timestamp(value, getattr(dtype, "tz", None))
        wanted = "a date or date-time, e.g. 2024-01-31 or '2024-01-31 10:00'"
    elif types.is_string_dtype(dtype) and not types.is_object_dtype(dtype):
        fits, wanted = isinstance(value, str), "text (quote a number in YAML: '00000')"
    else:  # object, categorical, ...: pandas decides, as fillna does
        fits, wanted = True, ""
    if not fits:
        raise FrameError(
            f"{where}: values: {column}: {value!r} does not fit the column's type "
            f"{dtype} (it takes {wanted})"
        )
    return value


def _timestamp(value: Any, tz: Any) -> tuple[Any, bool]:
    """A date, date-time or ISO text as a Timestamp in the column's time zone."""
    import pandas as pd

    if isinstance(value, bool | int | float):
        return value, False
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        return value, False
    if pd.isna(stamp):
        return value, False
    if tz is not None:
        stamp = stamp.tz_localize(tz) if stamp.tzinfo is None else stamp.tz_convert(tz)
    elif stamp.tzinfo is not None:
        return value, False
    return stamp, True
