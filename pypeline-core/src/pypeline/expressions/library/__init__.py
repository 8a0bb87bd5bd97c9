"""The core's function library (SPEC §3): text, conversion, nulls and choice, numbers, dates.

Each module holds one group as a ``FUNCTIONS`` tuple of ``ExpressionFunction``; the built-in
plugin ``pypeline.expressions.plugin`` gives them to ``pypeline_expression_functions`` as any
pack would. Listing them imports no data library: pandas and pyarrow load on the first call.
"""

from __future__ import annotations

from pypeline.sdk.functions import ExpressionFunction


def library() -> dict[str, ExpressionFunction]:
    """Every function of the library by name."""
    from pypeline.expressions.library import conversion, dates, nulls, numbers, patterns, text

    groups = (text, patterns, conversion, nulls, numbers, dates)
    return {f.name: f for group in groups for f in group.FUNCTIONS}
