"""A safe, vectorized expression language for row conditions and computed columns.

Used by ``filter_mod`` (a condition per row) and ``compute_mod`` (a value per row). The text is
parsed and whitelisted by ``syntax`` (never ``eval``) and its column-free parts are
evaluated at once, so ``'%0300000000d' % 1`` fails the build; ``evaluator`` evaluates the
tree on whole pandas columns, every operator bounded by ``limits`` (1,000,000
characters per text value, 4,096-bit integers, a budget per evaluation). A Dask frame is
evaluated partition by partition with the same code, so both modes give the same rows and the
same limits (a partition's rows and text size set its budget).

Only ``ExpressionError`` leaves this module: whatever pandas raises while evaluating becomes
``cannot evaluate '<expression>': <reason>``.
"""

from __future__ import annotations

import ast
import difflib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pypeline.expressions import syntax
from pypeline.expressions.errors import ExpressionError, quoted
from pypeline.expressions.evaluator import Evaluator, truth
from pypeline.expressions.limits import Budget, broadcast
from pypeline.expressions.sizes import Sizes, is_series

SYNTAX_HELP = syntax.SYNTAX_HELP
__all__ = [
    "SYNTAX_HELP",
    "Expression",
    "ExpressionError",
    "UnknownColumnError",
    "compile_expression",
]


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

    ``columns`` holds the names it reads (back-ticked names without their back ticks);
    ``label`` (``"t (compute_mod): expressions: total"``) starts the errors that a Dask
    partition raises later, in whichever node computes it, so they still name the module.
    """

    text: str
    columns: frozenset[str]
    tree: ast.Expression
    aliases: dict[str, str]
    label: str = ""

    def evaluate(self, frame: Any) -> Any:
        """The expression's value on every row: a pandas or Dask Series aligned with ``frame``."""
        self._check_columns(frame)
        if not _is_dask(frame):
            return self._values(frame)
        meta = self._values(frame._meta)
        return frame.map_partitions(self._in_partition, self._values, meta=meta)

    def mask(self, frame: Any) -> Any:
        """A plain bool Series for row selection: true rows True; false or null rows False."""
        self._check_columns(frame)
        if not _is_dask(frame):
            return self._mask(frame)
        return frame.map_partitions(self._in_partition, self._mask, meta=self._mask(frame._meta))

    def _in_partition(self, frame: Any, values: Callable[[Any], Any]) -> Any:
        try:
            return values(frame)
        except ExpressionError as exc:
            if not self.label:
                raise
            raise ExpressionError(f"{self.label}: {exc}") from None

    def _check_columns(self, frame: Any) -> None:
        missing = sorted(self.columns - set(frame.columns))
        if missing:
            raise UnknownColumnError(missing[0], [str(c) for c in frame.columns])

    def _mask(self, frame: Any) -> Any:
        return truth(self._values(frame), lambda: syntax.show(self.tree.body, self.aliases))

    def _values(self, frame: Any) -> Any:
        """The value on a pandas frame (one partition in Dask mode), as a Series."""

        def text_read() -> float:
            return sum(Sizes(frame[c]).total_length for c in self.columns)

        budget = Budget(len(frame), self.text, text_read)
        value = _evaluate(Evaluator(frame, self.aliases, budget), self.tree.body, self.text)
        if is_series(value):
            return value
        broadcast(value, budget, lambda: syntax.show(self.tree.body, self.aliases))
        return _broadcast(frame, value)


def compile_expression(text: str, label: str = "") -> Expression:
    """Parse and check ``text``, then evaluate its column-free parts (``10 ** 5000``, ``'%9d' %
    1``) so that an error they hold fails the build; raise ``ExpressionError`` naming it."""
    tree, aliases, columns = syntax.parse(text)
    constants = Evaluator(None, aliases, Budget(1, text, lambda: 0.0))
    for part in syntax.constant_parts(tree.body, aliases):
        _evaluate(constants, part, text)
    return Expression(text, columns, tree, aliases, label)


def _evaluate(evaluator: Evaluator, node: ast.AST, text: str) -> Any:
    """``node``'s value; whatever pandas or Python raise becomes an ``ExpressionError``."""
    try:
        return evaluator.value(node)
    except ExpressionError:
        raise
    except Exception as exc:  # any failure is the expression's, told as such
        reason = str(exc) or type(exc).__name__
        if len(reason) > 300:
            reason = reason[:297] + "..."
        raise ExpressionError(f"cannot evaluate {quoted(text)}: {reason}") from exc


def _is_dask(value: Any) -> bool:
    return type(value).__module__.startswith("dask")


def _broadcast(frame: Any, value: Any) -> Any:
    """A constant expression (``True``, ``1 + 2``) as a Series with one value per row."""
    import pandas as pd

    return pd.Series(value, index=frame.index)
