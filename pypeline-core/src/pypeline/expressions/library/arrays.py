"""Between pandas and Arrow for the library: arguments in, results out, dtypes fixed.

A function's result dtype depends only on its arguments' dtypes, never on their values, so a
Dask partition and the empty frame Dask asks for the result's shape (``meta``) agree: text is
pandas' ``str`` (Arrow-backed), whole numbers ``Int64``, truth values ``boolean``, fractions
``float64`` (NaN for null), instants ``datetime64``. Text arguments are read as Arrow strings
without a copy; any other column (numbers, booleans, dates, an object column holding a mix of
values from a CSV file) is first turned into its text by pandas, nulls kept. pandas, numpy and
pyarrow are imported by the calls, never when the library is listed (``pype --help``,
``pype validate`` of a flow without calls).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pypeline.sdk.functions import FunctionContext

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

#: Characters a number, truth value or date prints as text at most (a float: 24, a timestamp
#: with nanoseconds: 29), for ``max_length`` of functions that print non-text values.
PRINTED = 32


def text_series(fctx: FunctionContext, value: Any) -> pd.Series:
    """``value`` as a pandas ``str`` column on ``fctx.index`` (other values as their text)."""
    series = fctx.series(value)
    return series if str(series.dtype) == "str" else series.astype("str")


def text(fctx: FunctionContext, value: Any) -> pa.Array:
    """``value`` as an Arrow ``large_string`` array (zero-copy for ``str`` columns)."""
    import pyarrow as pa

    values = pa.array(text_series(fctx, value).array)
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    return values if values.type == pa.large_string() else values.cast(pa.large_string())


def large(value: str) -> pa.Scalar:
    """A literal as an Arrow ``large_string`` scalar, to pair with ``text`` arrays."""
    import pyarrow as pa

    return pa.scalar(value, pa.large_string())


def from_text(fctx: FunctionContext, values: pa.Array) -> pd.Series:
    import pandas as pd

    return pd.Series(pd.array(values, dtype="str"), index=fctx.index)


def from_bools(fctx: FunctionContext, values: pa.Array) -> pd.Series:
    import pandas as pd

    return pd.Series(pd.BooleanDtype().__from_arrow__(values), index=fctx.index)


def from_ints(fctx: FunctionContext, values: pa.Array) -> pd.Series:
    import pandas as pd
    import pyarrow as pa

    return pd.Series(pd.Int64Dtype().__from_arrow__(values.cast(pa.int64())), index=fctx.index)


def nullable(series: pd.Series) -> pd.Series:
    """numpy integers and booleans as their nullable dtypes, so masking nulls keeps the kind;
    pandas' NA-valued ``string`` (a text literal, Dask's text) as the ``str`` of columns."""
    import numpy as np
    import pandas as pd

    if isinstance(series.dtype, np.dtype) and series.dtype.kind in "iub":
        return series.astype("boolean" if series.dtype.kind == "b" else "Int64")
    if isinstance(series.dtype, pd.StringDtype) and str(series.dtype) != "str":
        return series.astype("str")
    return series


def common(series: list[pd.Series]) -> list[pd.Series]:
    """The columns cast to one dtype, chosen from their dtypes alone as ``pd.concat`` would
    (text with numbers: ``object``; ``Int64`` with ``float64``: ``Float64``)."""
    import pandas as pd

    columns = [nullable(s) for s in series]
    dtype = pd.concat([s.iloc[:0] for s in columns]).dtype
    return [s if s.dtype == dtype else s.astype(dtype) for s in columns]


def regex_problem(pattern: Any) -> str | None:
    """Why RE2 (the engine of every regular expression here, linear in time) refuses
    ``pattern``, or ``None``. Look-arounds and back references are refused: they are what
    makes a backtracking engine take exponential time."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not isinstance(pattern, str):
        return f"the pattern must be text, not {type(pattern).__name__}"
    try:
        pc.match_substring_regex(pa.array([""]), pattern)  # an empty array compiles nothing
    except pa.ArrowInvalid as exc:
        return f"bad regular expression {pattern!r}: {str(exc).split(': ', 1)[-1]}"
    return None


def whole(value: Any, name: str, least: int) -> int:
    """A literal integer parameter, at least ``least``; else ``ValueError`` naming it."""
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise ValueError(f"{name} must be a whole number of at least {least}, not {value!r}")
    return value


def literals(**rules: Callable[[Any], object]) -> Callable[[dict[str, Any]], str | None]:
    """An ``ExpressionFunction.check`` from the validators its implementation calls first, so
    the build and the run refuse a literal with the same words."""

    def check(given: dict[str, Any]) -> str | None:
        for name, rule in rules.items():
            if name in given:
                try:
                    rule(given[name])
                except ValueError as exc:
                    return str(exc)
        return None

    return check


def literal_text(value: Any, name: str, empty: bool = True) -> str:
    """A literal text parameter (``empty=False``: at least one character)."""
    if not isinstance(value, str) or (not empty and not value):
        wanted = "text" if empty else "non-empty text"
        raise ValueError(f"{name} must be {wanted}, not {value!r}")
    return value
