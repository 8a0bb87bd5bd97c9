"""Numbers (SPEC §3): rounding, absolute values, least and greatest.

Integer columns stay whole numbers (``Int64``), others are ``float64``. Text is not a number
here (``to_number`` reads it); an object column holding a mix of numbers and text (a CSV
column) has its numbers used and its other values nulled and counted.
"""

from __future__ import annotations

from typing import Any

from pypeline.expressions.library.arrays import common, literals, nullable, whole
from pypeline.sdk.functions import ExpressionFunction, FunctionContext

_COUNTED = "a null gives null; in a column of mixed values, what is not a number gives null "
_COUNTED += "and is counted"


def numbers(fctx: FunctionContext, x: Any, name: str) -> Any:
    """``x`` as a numeric column, or why not."""
    import pandas as pd

    series = fctx.series(x)
    if pd.api.types.is_bool_dtype(series.dtype) or pd.api.types.is_numeric_dtype(series.dtype):
        return nullable(series) if series.dtype.kind != "f" else series
    if str(series.dtype) != "object":
        raise ValueError(f"{name}() takes numbers, not {series.dtype} values: use to_number()")
    values = pd.to_numeric(series, errors="coerce").astype("float64")
    fctx.count_nulled(int((values.isna() & series.notna()).sum()))
    return values


def _round(fctx: FunctionContext, x: Any, digits: Any = 0) -> Any:
    """Halves away from zero, as SQL's ``ROUND`` (numpy rounds them to even)."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    values = numbers(fctx, x, "round")
    places = whole(digits, "digits", -18)
    if values.dtype.kind != "f" and places >= 0:
        return values
    rounded = pc.round(
        pa.array(values, from_pandas=True), places, round_mode="half_towards_infinity"
    )
    return pd.Series(rounded, index=fctx.index).astype(values.dtype)


def _unary(method: str) -> Any:
    def apply(fctx: FunctionContext, x: Any) -> Any:
        import numpy as np

        values = numbers(fctx, x, method)
        if method != "abs" and values.dtype.kind != "f":
            return values  # floor and ceil of a whole number
        return values.abs() if method == "abs" else getattr(np, method)(values)

    return apply


def _extreme(smallest: bool) -> Any:
    def pick(fctx: FunctionContext, *values: Any) -> Any:
        """Pairwise on whole columns; a null anywhere makes the row null."""
        columns = common([fctx.series(v) for v in values])
        result = columns[0]
        for column in columns[1:]:
            keep = (result <= column) if smallest else (result >= column)
            both = result.notna() & column.notna()
            result = result.where(keep.fillna(False).astype(bool), column).where(both)
        return result

    return pick


FUNCTIONS = (
    ExpressionFunction(
        "round", ("x", "digits"), _round,
        "x rounded to digits decimal places (0 by default; negative: tens, hundreds...), "
        "halves away from zero as in SQL (round(2.5) is 3); digits is a literal.",
        group="numbers", nulls=_COUNTED, optional=1, literal=("digits",), counts_nulled=True,
        check=literals(digits=lambda v: whole(v, "digits", -18)),
        examples=("round(price * 1.2, 2)",),
    ),
    ExpressionFunction(
        "abs", ("x",), _unary("abs"), "The absolute value of x.",
        group="numbers", nulls=_COUNTED, counts_nulled=True,
    ),
    ExpressionFunction(
        "floor", ("x",), _unary("floor"), "The largest whole number not above x.",
        group="numbers", nulls=_COUNTED, counts_nulled=True,
    ),
    ExpressionFunction(
        "ceil", ("x",), _unary("ceil"), "The smallest whole number not below x.",
        group="numbers", nulls=_COUNTED, counts_nulled=True,
    ),
    ExpressionFunction(
        "least", ("a", "b"), _extreme(True),
        "The smallest of its arguments (numbers, texts or dates).",
        group="numbers", nulls="a null argument gives null", variadic=True,
        examples=("least(price, 100)",),
    ),
    ExpressionFunction(
        "greatest", ("a", "b"), _extreme(False),
        "The largest of its arguments (numbers, texts or dates).",
        group="numbers", nulls="a null argument gives null", variadic=True,
    ),
)  # fmt: skip
