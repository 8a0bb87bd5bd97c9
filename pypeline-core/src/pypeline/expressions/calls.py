"""Function calls: checked against the whitelist at build time, bounded when they run.

``syntax`` hands every ``name(arg, ...)`` to ``check``: the name must be registered (else a
close-match hint), the number of arguments must fit the signature, and the parameters a
function declares ``literal`` must be given literals (so the build sees a regular expression or
a width, and ``max_length`` can bound the result with it). ``invoke`` then runs one call on whole
columns: its text result is sized before it exists (``max_length`` from the text arguments'
longest values and the literals, refused over ``limits.MAX_VALUE`` and charged to the
evaluation's budget), whatever the implementation raises becomes an ``ExpressionError`` naming
the function, and a result longer than promised (or a function without ``max_length`` that
grows text) is refused after the fact.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from typing import Any

from pypeline.expressions.errors import ExpressionError
from pypeline.expressions.limits import MAX_VALUE, Budget
from pypeline.expressions.sizes import Sizes, is_series, is_text, largest_and_total
from pypeline.sdk.functions import ExpressionFunction, FunctionContext

Describe = Callable[[], str]


def check(
    name: str,
    literal_args: list[bool],
    functions: Mapping[str, ExpressionFunction],
    values: list[Any] | None = None,
) -> ExpressionFunction:
    """The function ``name`` called with arguments that are (or are not) literals, or why not;
    ``values`` (the literal ones' values, by position) go to the function's own ``check``."""
    function = functions.get(name)
    if function is None:
        close = difflib.get_close_matches(name, list(functions), n=1)
        hint = f": did you mean {close[0]!r}?" if close else ""
        raise ExpressionError(f"unknown function {name!r}{hint} (pype show-functions lists them)")
    problem = function.arity_problem(len(literal_args))
    if problem:
        raise ExpressionError(problem)
    for position, is_literal in enumerate(literal_args):
        param = parameter(function, position)
        if param in function.literal and not is_literal:
            raise ExpressionError(
                f"{function.name}(): {param!r} must be a literal such as 'text' or 3, not a "
                f"column or an expression: {function.signature}"
            )
    if function.check is not None and values is not None:
        given = {
            parameter(function, i): v
            for i, (v, lit) in enumerate(zip(values, literal_args, strict=True))
            if lit
        }
        problem = function.check(given)
        if problem:
            raise ExpressionError(f"{function.name}(): {problem}: {function.signature}")
    return function


def parameter(function: ExpressionFunction, position: int) -> str:
    """The name of the parameter at ``position`` (the last one repeats when variadic)."""
    return function.params[min(position, len(function.params) - 1)]


def invoke(
    function: ExpressionFunction,
    args: list[Any],
    fctx: FunctionContext,
    budget: Budget,
    describe: Describe,
    longest: dict[int, tuple[Any, float]],
) -> Any:
    """``function`` on ``args`` (Series for columns, Python values for constants), bounded.
    ``longest`` keeps the measured results of one evaluation (id → (result, longest value)),
    so ``lower(strip(name))`` measures ``strip``'s result once."""
    rows = len(fctx.index)
    if function.max_length is not None:
        _precharge(function, args, rows, budget, describe, longest)
    try:
        result = function.implementation(fctx, *args)
    except Exception as exc:  # a pack's failure, told as the call's
        reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        if len(reason) > 300:
            reason = reason[:297] + "..."
        raise ExpressionError(f"{function.name}() failed on {describe()}: {reason}") from exc
    if is_series(result) and len(result) != rows:
        raise ExpressionError(
            f"{function.name}() gave {len(result):,} values for {rows:,} rows: {describe()}"
        )
    if function.max_length is None and _is_text(result):  # bounded by nothing: measured
        most, total = _extent(result, rows)
        _refuse_long(function, most, describe, "made")
        budget.charge(total, lambda: f"{describe()} (function {function.name}())")
        if is_series(result):
            longest[id(result)] = result, most
    return result


def _precharge(
    function: ExpressionFunction,
    args: list[Any],
    rows: int,
    budget: Budget,
    describe: Describe,
    known: dict[int, tuple[Any, float]],
) -> None:
    """Refuse a result value over the limit, then charge the result's text before it exists."""
    assert function.max_length is not None
    literals = {
        parameter(function, i): a
        for i, a in enumerate(args)
        if parameter(function, i) in function.literal
    }
    texts = [_is_text(a) for a in args]
    longest = [_longest(a, rows, known) if t else None for a, t in zip(args, texts, strict=True)]
    bound = float(function.max_length(longest, literals))
    _refuse_long(function, bound, describe, "would make")
    total = bound * rows
    reads_text = any(is_series(a) for a, t in zip(args, texts, strict=True) if t)
    if total > budget.limit - budget.used and reads_text:
        sizes = [Sizes(a) if t else None for a, t in zip(args, texts, strict=True)]
        total = _row_bound(function, sizes, literals, rows)  # maybe a few long values
    budget.charge(total, lambda: f"{describe()} (function {function.name}())")


def _row_bound(
    function: ExpressionFunction, sizes: list[Sizes | None], literals: dict[str, Any], rows: int
) -> float:
    """The sum over rows of ``max_length`` on each row's own lengths, asked once per distinct
    combination of lengths (a column's lengths take few values)."""
    import numpy as np

    assert function.max_length is not None
    columns = [s for s in sizes if s is not None and s.series]
    matrix = np.stack([np.broadcast_to(np.asarray(s.length, dtype=float), rows) for s in columns])
    combos, counts = np.unique(matrix, axis=1, return_counts=True)
    total = 0.0
    for combo, count in zip(combos.T, counts, strict=True):
        per_column = iter(combo.tolist())
        lengths = [
            None if s is None else next(per_column) if s.series else float(s.length) for s in sizes
        ]
        total += float(function.max_length(lengths, literals)) * float(count)
    return total


def _refuse_long(
    function: ExpressionFunction, length: float, describe: Describe, verb: str
) -> None:
    if length > MAX_VALUE:
        raise ExpressionError(
            f"text too long: {describe()} {verb} a value of {length:,.0f} characters "
            f"(function {function.name}(), limit {MAX_VALUE:,} per value)"
        )


def _longest(value: Any, rows: int, known: dict[int, tuple[Any, float]]) -> float:
    kept = known.get(id(value))
    if kept is not None and kept[0] is value:
        return kept[1]
    return _extent(value, rows)[0]


def _extent(value: Any, rows: int) -> tuple[float, float]:
    """The longest text value and all the text. Arrow strings are measured in bytes, a bound
    of their characters, in one fast pass (characters only when the bytes pass the limit)."""
    dtype = getattr(value, "dtype", None)
    arrow = getattr(dtype, "storage", "") == "pyarrow" or hasattr(dtype, "pyarrow_dtype")
    if not (is_series(value) and arrow):
        return largest_and_total(Sizes(value).length, rows)
    import pyarrow as pa
    import pyarrow.compute as pc

    values = value.array.__arrow_array__()
    if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
        return largest_and_total(Sizes(value).length, rows)
    lengths = pc.binary_length(values)
    longest = float(pc.max(lengths).as_py() or 0)
    if longest > MAX_VALUE:
        lengths = pc.utf8_length(values)
        longest = float(pc.max(lengths).as_py() or 0)
    return longest, float(pc.sum(lengths).as_py() or 0)


def _is_text(value: Any) -> bool:
    """Text (or bytes, lists) a source or a function made: a text scalar or column."""
    if not is_series(value):
        return is_text(value)
    import pandas as pd

    return str(value.dtype) == "object" or pd.api.types.is_string_dtype(value.dtype)
