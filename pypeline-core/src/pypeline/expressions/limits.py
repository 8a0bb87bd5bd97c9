"""Every operator of the expression language, bounded: its result size is estimated from its
operands and refused BEFORE anything is allocated, so a flow (untrusted input) cannot make an
expression hang a run or take gigabytes (``'%0300000000d' % 1``, ``name * 100000000``).

The limits, far beyond what a real flow computes:

- ``MAX_VALUE`` = 1,000,000 characters for one text value (items for a list, bytes for bytes
  read from a source), a constant or any row of a column: ``+`` adds the lengths, ``*``
  multiplies length by count, ``%`` counts each conversion's width and precision.
- ``MAX_INT_BITS`` = 4,096 bits for an integer (a literal, or a result of ``+ - * // % **`` on
  Python integers, which object columns may hold): estimated from the operands' bit lengths
  (``**``: bits × exponent), then checked exactly. numpy's fixed-width numbers wrap, never grow.
- A budget per evaluation (per partition in Dask mode): all the text (and Python-integer bytes)
  the operators create together, broadcast constants included, at most 10,000,000 characters
  + 16 × the text of the columns the expression reads + the expression's length per row. A
  long chain of concatenations therefore stays linear in the data it reads.

``<< >> ^ @`` are refused by the parser (``& | ~`` mean and/or/not), comparisons and ``in``
create only booleans, and ``syntax`` bounds the text (100,000 characters) and its
nesting (100 levels). A refusal is an ``ExpressionError`` naming the operator and the limit;
``filter_mod`` and ``compute_mod`` add the module's name at run time, and the build reports a
refused constant (``check_config`` evaluates every part that reads no column).
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable
from typing import Any

from pypeline.expressions.errors import ExpressionError
from pypeline.expressions.estimates import ESTIMATES
from pypeline.expressions.sizes import (
    Size,
    Sizes,
    is_series,
    is_text,
    largest_and_total,
)

MAX_VALUE, MAX_INT_BITS = 1_000_000, 4096
BUDGET_BASE, BUDGET_PER_TEXT_READ = 10_000_000, 16
BINOPS: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}  # fmt: skip
SYMBOLS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//",
           ast.Mod: "%", ast.Pow: "**", ast.USub: "-", ast.UAdd: "+"}  # fmt: skip
Describe = Callable[[], str]


class Budget:
    """What one evaluation may still create; ``text_read`` is measured only if it matters."""

    def __init__(self, rows: int, text: str, text_read: Callable[[], float]) -> None:
        self.rows, self.used, self._text_read = rows, 0.0, text_read
        self.limit: float = BUDGET_BASE + rows * len(text)
        self._measured = False

    def charge(self, amount: float, what: Describe) -> None:
        """Count ``amount`` characters more; ``what`` says what makes them, if refused."""
        self.used += amount
        if self.used > self.limit and not self._measured:
            self._measured = True
            self.limit += BUDGET_PER_TEXT_READ * self._text_read()
        if self.used > self.limit:
            raise ExpressionError(
                f"too much text: {what()} would bring what this expression creates to "
                f"{_amount(self.used)} characters (limit {_amount(self.limit)} for "
                f"{self.rows:,} rows)"
            )


def binary(op: ast.operator, left: Any, right: Any, budget: Budget, describe: Describe) -> Any:
    """``left op right``, refused when its estimated result would pass a limit."""
    symbol = SYMBOLS[type(op)]
    if isinstance(op, ast.Mod) and is_text(left) and is_series(right):
        raise ExpressionError(
            f"'%' formatting needs a constant after '%', not a column: {describe()}"
        )
    sides = Sizes(left), Sizes(right)
    length, bits = ESTIMATES[type(op)](*sides)
    _check(length, bits, symbol, budget, describe, _rows(left, right))
    result = BINOPS[type(op)](left, right)
    if largest_and_total(bits, 1)[0] > MAX_INT_BITS:  # the estimate is an upper bound
        _refuse_wide(Sizes(result).bits, MAX_INT_BITS, symbol, describe)
    return result


def unary(op: ast.unaryop, operand: Any, budget: Budget, describe: Describe) -> Any:
    """``-x`` or ``+x``: the same size as ``x``, a copy charged to the budget."""
    _check(0.0, Sizes(operand).bits, SYMBOLS[type(op)], budget, describe, _rows(operand))
    return -operand if isinstance(op, ast.USub) else +operand


def broadcast(value: Any, budget: Budget, describe: Describe) -> None:
    """Charge a constant result copied onto every row (pandas' Arrow strings copy it)."""
    budget.charge(Sizes(value).length * budget.rows, lambda: f"{describe()} on every row")


def _check(
    length: Size, bits: Size, symbol: str, budget: Budget, describe: Describe, rows: int
) -> None:
    longest, characters = largest_and_total(length, rows)
    if longest > MAX_VALUE:
        raise ExpressionError(
            f"text too long: {describe()} would make a value of {_amount(longest)} characters "
            f"(operator '{symbol}', limit {MAX_VALUE:,} per value)"
        )
    # twice the limit: a few hundred bytes at most; ``binary`` then checks the exact result
    all_bits = _refuse_wide(bits, 2 * MAX_INT_BITS, symbol, describe, rows)
    budget.charge(characters + all_bits / 8, lambda: f"{describe()} (operator '{symbol}')")


def _refuse_wide(bits: Size, limit: int, symbol: str, describe: Describe, rows: int = 1) -> float:
    """The total of ``bits`` over the rows, after refusing a value wider than ``limit``."""
    widest, all_bits = largest_and_total(bits, rows)
    if widest > limit:
        raise ExpressionError(
            f"number too large: {describe()} would have {_amount(widest)} bits "
            f"(operator '{symbol}', limit {MAX_INT_BITS:,} bits)"
        )
    return all_bits


def _rows(*values: Any) -> int:
    return max((len(v) for v in values if is_series(v)), default=1)


def _amount(number: float) -> str:
    return f"{number:,.0f}" if number < 1e15 else f"{number:.1e}"
