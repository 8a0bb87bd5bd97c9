"""``initials(s)``: a pack's function of the expression language (``Ada Lovelace`` → ``AL``).

What a third-party pack writes to add a function: an ``ExpressionFunction`` (name, parameters,
a vectorized implementation, a description and its null behaviour) returned by the
``pypeline_expression_functions`` hook in ``plugin.py``. The implementation works on the whole
column with pandas' ``.str`` methods, never a Python loop over rows, so it is as fast in a
flow as the core's functions, and the same in pandas and Dask mode (called per partition).
"""

from __future__ import annotations

from typing import Any

from pypeline.sdk.functions import ExpressionFunction, FunctionContext


def _initials(fctx: FunctionContext, s: Any) -> Any:
    """The first letter of each word, upper-cased; a null stays null."""
    text = fctx.series(s).astype("string")
    return text.str.replace(r"\W*(\w)\w*|\W+", r"\1", regex=True).str.upper()


INITIALS = ExpressionFunction(
    name="initials",
    params=("s",),
    implementation=_initials,
    description="The first letter of each word of s, upper-cased: initials('Ada Lovelace') "
    "gives 'AL'. Text without a letter or digit gives ''.",
    group="text",
    nulls="a null gives null",
    examples=("initials(name)",),
)
