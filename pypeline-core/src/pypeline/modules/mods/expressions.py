"""A safe, vectorized expression language for row conditions and computed columns.

Used by ``filter_mod`` (a condition per row) and ``compute_mod`` (a value per row). The text is
parsed and whitelisted by ``expression_syntax`` (never ``eval``); the tree is evaluated here on
whole columns with pandas operators (``&``, ``|``, ``~``, ``isin``, ``isna``): pandas speed, and
a Dask frame works unchanged, Dask building the same graph lazily.

Nulls: every comparison with a null is false, ``!=`` included, in both modes (pandas alone makes
``NaN != 1`` true, Dask's Arrow strings give NA: a flow's rows must not depend on
``execution_mode``). Comparisons give plain true/false so ``not`` behaves; ``x is None`` /
``x == null`` test for nulls.
"""

from __future__ import annotations

import ast
import difflib
import functools
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pypeline.modules.mods import expression_syntax as syntax

SYNTAX_HELP = syntax.SYNTAX_HELP
ExpressionError = syntax.ExpressionError
_NULL_TESTS = (ast.Is, ast.IsNot, ast.Eq, ast.NotEq)  # with a None operand: a null test


class UnknownColumnError(ExpressionError):
    """The expression names a column the frame lacks; keeps both so callers can reword it."""

    def __init__(self, column: str, available: list[str]) -> None:
        self.column, self.available = column, available
        super().__init__(f"unknown column {column!r} (columns: {self.listing})")

    @property
    def listing(self) -> str:
        """The frame's columns, comma-separated, cut after 30 so a wide frame stays readable."""
        shown = ", ".join(self.available[:30]) or "none"
        return shown + (f", ... ({len(self.available)} in all)" if len(self.available) > 30 else "")

    @property
    def hint(self) -> str:
        """``did you mean 'age'?`` when a column is close to the misspelled name, else ``""``."""
        close = difflib.get_close_matches(self.column, self.available, n=1)
        return f"did you mean {close[0]!r}?" if close else ""


@dataclass(frozen=True)
class Expression:
    """A checked expression; compile once, ``evaluate`` on any number of frames.

    ``columns`` holds the names it reads (back-ticked names without their back ticks).
    """

    text: str
    columns: frozenset[str]
    tree: ast.Expression
    aliases: dict[str, str]

    def evaluate(self, frame: Any) -> Any:
        """The expression's value on every row: a pandas or Dask Series aligned with ``frame``."""
        missing = sorted(self.columns - set(frame.columns))
        if missing:
            raise UnknownColumnError(missing[0], [str(c) for c in frame.columns])
        try:
            value = _Evaluator(frame, self.aliases).value(self.tree.body)
        except ExpressionError:
            raise
        except (TypeError, ValueError, ArithmeticError) as exc:
            raise ExpressionError(f"cannot evaluate {self.text!r}: {exc}") from exc
        return value if _is_series(value) else _broadcast(frame, value)

    def mask(self, frame: Any) -> Any:
        """A plain bool Series for row selection: true rows True; false or null rows False."""
        return _truth(self.evaluate(frame), lambda: self.text)


def compile_expression(text: str) -> Expression:
    """Parse and check ``text``; raise ``ExpressionError`` naming the first refused construct."""
    tree, aliases, columns = syntax.parse(text)
    return Expression(text, columns, tree, aliases)


class _Evaluator:
    """Walks a checked tree; values are Series (from columns) or Python scalars (constants)."""

    def __init__(self, frame: Any, aliases: dict[str, str]) -> None:
        self.frame, self.aliases = frame, aliases

    def value(self, node: ast.AST) -> Any:
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            if node.id in self.aliases or node.id not in syntax.NAMED_CONSTANTS:
                return self.frame[self.aliases.get(node.id, node.id)]
            return syntax.NAMED_CONSTANTS[node.id]
        if isinstance(node, ast.BoolOp):
            parts = [self.truth(v) for v in node.values]
            combine = operator.and_ if isinstance(node.op, ast.And) else operator.or_
            return functools.reduce(combine, parts)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.Not):
                return _negate(self.truth(node.operand))
            operand = self.value(node.operand)
            return -operand if isinstance(node.op, ast.USub) else +operand
        if isinstance(node, ast.BinOp):
            return syntax.arithmetic(node.op, self.value(node.left), self.value(node.right))
        assert isinstance(node, ast.Compare)  # the checker allows nothing else
        return self.compare(node)

    def truth(self, node: ast.AST) -> Any:
        return _truth(self.value(node), lambda: syntax.show(node, self.aliases))

    def compare(self, node: ast.Compare) -> Any:
        """Chained comparisons are and-ed, as in Python: ``18 <= age < 65``."""
        left, result = self.value(node.left), None
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            if isinstance(op, ast.In | ast.NotIn):
                assert isinstance(right_node, ast.List | ast.Tuple | ast.Set)
                right = [self.value(e) for e in right_node.elts]
                part = left.isin(right) if _is_series(left) else left in right
                part = _negate(part) if isinstance(op, ast.NotIn) else part
            else:
                right = self.value(right_node)
                part = self.compare_pair(op, left, right)
            result = part if result is None else result & part
            left = right
        return result

    def compare_pair(self, op: ast.cmpop, left: Any, right: Any) -> Any:
        if isinstance(op, _NULL_TESTS) and (left is None or right is None):
            is_null = _isna(right if left is None else left)
            return _negate(is_null) if isinstance(op, ast.IsNot | ast.NotEq) else is_null
        result = syntax.COMPARE[type(op)](left, right)
        if not _is_series(result):
            return result
        if str(result.dtype) != "bool":  # nullable or Arrow bools: NA means false
            return _as_bool(result)
        if isinstance(op, ast.NotEq):  # numpy makes NaN != x true; a null compares false
            for side in (left, right):
                if _is_series(side) and side.dtype.kind in "fcmMOT":
                    result = result & side.notnull()
        return result


def _truth(value: Any, describe: Callable[[], str]) -> Any:
    """A condition as plain bools; nulls count as false; non-boolean values are an error."""
    if not _is_series(value):
        return bool(value)
    dtype = value.dtype
    if str(dtype) == "bool":
        return value
    if dtype.kind == "b" or str(dtype) == "object":  # nullable, Arrow or Python bools
        return _as_bool(value)
    raise ExpressionError(
        f"expected true/false values, but {describe()!r} gives {dtype} values: "
        "compare them (==, >, in [...], is None, ...)"
    )


def _negate(value: Any) -> Any:
    return ~value if _is_series(value) else not value


def _isna(value: Any) -> Any:
    if _is_series(value):
        return value.isna()
    return value is None or value != value  # NaN is the only value unequal to itself


def _as_bool(series: Any) -> Any:
    """Nulls → False, as numpy bools. On Dask inside ``map_partitions``: its optimizer turns
    ``frame[s.astype(bool)]`` into a Series (dask/dask#12172)."""
    if _is_dask(series):
        return series.map_partitions(_as_bool, meta=(series.name, bool))
    return series.fillna(False).astype(bool)


def _is_dask(value: Any) -> bool:
    return type(value).__module__.startswith("dask")


def _is_series(value: Any) -> bool:
    return hasattr(value, "isna") and hasattr(value, "dtype")


def _broadcast(frame: Any, value: Any) -> Any:
    """A constant expression (``True``, ``1 + 2``) as a Series with one value per row."""
    import pandas as pd

    if _is_dask(frame):
        return frame.map_partitions(_broadcast, value, meta=pd.Series([value]).iloc[:0])
    return pd.Series(value, index=frame.index)
