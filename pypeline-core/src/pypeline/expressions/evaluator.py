"""The walk over a checked expression tree: one value per node, every operator bounded.

Values are pandas Series (a column read from the frame) or Python scalars (constants); the
operators are pandas' own, on whole columns (``&``, ``|``, ``~``, ``isin``, ``isna``), each
through ``limits`` so its result is sized before it exists; a function call runs its
implementation once on the whole argument columns, through ``calls``. With no frame the same
walk evaluates the constant parts of an expression at build time (a one-row index for calls).

Nulls: every comparison with a null is false, ``!=`` included (pandas alone makes
``NaN != 1`` true, Arrow strings give NA: a flow's rows must not depend on the dtype a source
chose). Comparisons give plain true/false so ``not`` behaves; ``x is None`` / ``x == null``
test for nulls.
"""

from __future__ import annotations

import ast
import functools
import operator
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from pypeline.expressions import calls, limits, syntax
from pypeline.expressions.errors import ExpressionError
from pypeline.expressions.functions import Calls, NullTally
from pypeline.expressions.sizes import is_series
from pypeline.expressions.tree import NAMED_CONSTANTS, show
from pypeline.sdk.functions import ExpressionFunction

_NULL_TESTS = (ast.Is, ast.IsNot, ast.Eq, ast.NotEq)  # with a None operand: a null test


class Evaluator:
    """Evaluates nodes of one checked tree on one pandas frame (or on none, for constants)."""

    def __init__(
        self,
        frame: Any,
        aliases: dict[str, str],
        budget: limits.Budget,
        functions: Mapping[str, ExpressionFunction],
        now: datetime,
        tally: NullTally | None = None,
    ) -> None:
        self.frame, self.aliases, self.budget = frame, aliases, budget
        self.functions, self.now, self.tally = functions, now, tally
        self._fctx: Calls | None = None
        self._longest: dict[int, tuple[Any, float]] = {}  # function results already measured

    def value(self, node: ast.AST) -> Any:
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            if node.id in self.aliases or node.id not in NAMED_CONSTANTS:
                return self.column(self.aliases.get(node.id, node.id))
            return NAMED_CONSTANTS[node.id]
        if isinstance(node, ast.BoolOp):  # one part at a time: 2,000 masks at once would not fit
            combine = operator.and_ if isinstance(node.op, ast.And) else operator.or_
            parts = (self.truth(v) for v in node.values)
            return functools.reduce(combine, parts)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.Not):
                return negate(self.truth(node.operand))
            operand = self.value(node.operand)
            describe = self._describe(node.op, None, None, node.operand, operand)
            return limits.unary(node.op, operand, self.budget, describe)
        if isinstance(node, ast.BinOp):
            left, right = self.value(node.left), self.value(node.right)
            describe = self._describe(node.op, node.left, left, node.right, right)
            return limits.binary(node.op, left, right, self.budget, describe)
        if isinstance(node, ast.Call):
            assert isinstance(node.func, ast.Name)  # the checker allows nothing else
            args = [self.value(a) for a in node.args]
            describe = lambda: show(node, self.aliases)  # noqa: E731
            function = self.functions[node.func.id]
            fctx, longest = self.fctx(), self._longest
            return calls.invoke(function, args, fctx, self.budget, describe, longest)
        assert isinstance(node, ast.Compare)  # the checker allows nothing else
        return self.compare(node)

    def fctx(self) -> Calls:
        """The functions' context, made on the first call (the build's: a one-row index)."""
        if self._fctx is None:
            import pandas as pd

            index = pd.RangeIndex(1) if self.frame is None else self.frame.index
            self._fctx = Calls(index, self.now, self.tally)
        return self._fctx

    def column(self, name: str) -> Any:
        values = self.frame[name]
        if not is_series(values):  # a frame with two columns of that name
            raise ExpressionError(f"column {name!r} is ambiguous: the frame has several")
        return values

    def truth(self, node: ast.AST) -> Any:
        return truth(self.value(node), lambda: show(node, self.aliases))

    def compare(self, node: ast.Compare) -> Any:
        """Chained comparisons are and-ed, as in Python: ``18 <= age < 65``."""
        left, result = self.value(node.left), None
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            if isinstance(op, ast.In | ast.NotIn):
                assert isinstance(right_node, ast.List | ast.Tuple | ast.Set)
                right = [self.value(e) for e in right_node.elts]
                part = left.isin(right) if is_series(left) else left in right
                part = negate(part) if isinstance(op, ast.NotIn) else part
            else:
                right = self.value(right_node)
                part = self.compare_pair(op, left, right)
            result = part if result is None else result & part
            left = right
        return result

    def compare_pair(self, op: ast.cmpop, left: Any, right: Any) -> Any:
        if isinstance(op, _NULL_TESTS) and (left is None or right is None):
            is_null = isna(right if left is None else left)
            return negate(is_null) if isinstance(op, ast.IsNot | ast.NotEq) else is_null
        result = syntax.COMPARE[type(op)](left, right)
        if not is_series(result):
            return result
        if str(result.dtype) != "bool":  # nullable or Arrow bools: NA means false
            return as_bool(result)
        if isinstance(op, ast.NotEq):  # numpy makes NaN != x true; a null compares false
            for side in (left, right):
                if is_series(side) and side.dtype.kind in "fcmMOT":
                    result = result & side.notnull()
        return result

    def _describe(
        self, op: ast.AST, left_node: ast.AST | None, left: Any, right_node: ast.AST, right: Any
    ) -> Callable[[], str]:
        """The operation with its operands, for a refusal: ``9 ** 387420489``, ``name * 5``."""
        symbol = limits.SYMBOLS[type(op)]

        def side(node: ast.AST, value: Any) -> str:
            if is_series(value):
                return show(node, self.aliases)
            if isinstance(value, str | bytes) and len(value) > 16:
                return f"{value[:12]!r}..."
            if isinstance(value, int) and value.bit_length() > 64:
                return f"<an integer of {value.bit_length():,} bits>"
            return repr(value)

        if left_node is None:
            return lambda: f"{symbol}{side(right_node, right)}"
        return lambda: f"{side(left_node, left)} {symbol} {side(right_node, right)}"


def truth(value: Any, describe: Callable[[], str]) -> Any:
    """A condition as plain bools; nulls count as false; non-boolean values are an error."""
    if not is_series(value):
        return bool(value)
    dtype = value.dtype
    if str(dtype) == "bool":
        return value
    if dtype.kind == "b" or str(dtype) == "object":  # nullable, Arrow or Python bools
        return as_bool(value)
    raise ExpressionError(
        f"expected true/false values, but {describe()!r} gives {dtype} values: "
        "compare them (==, >, in [...], is None, ...)"
    )


def negate(value: Any) -> Any:
    return ~value if is_series(value) else not value


def isna(value: Any) -> Any:
    if is_series(value):
        return value.isna()
    return value is None or value != value  # NaN is the only value unequal to itself


def as_bool(series: Any) -> Any:
    """Nulls → False, as numpy bools."""
    return series.fillna(False).astype(bool)
