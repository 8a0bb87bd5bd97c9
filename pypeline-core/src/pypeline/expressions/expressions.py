"""A safe, vectorized expression language for row conditions and computed columns.

Used by ``filter_mod`` (a condition per row) and ``compute_mod`` (a value per row). The text is
parsed and whitelisted by ``syntax`` (never ``eval``) and its column-free parts are
evaluated at once, so ``'%0300000000d' % 1`` fails the build; ``evaluator`` evaluates the
tree on whole pandas columns, every operator and function call bounded by ``limits`` and
``calls`` (1,000,000 characters per text value, 4,096-bit integers, a budget per evaluation).
Functions come from ``functions.registry()`` (the plugins') unless the caller gives its own
mapping; ``run_id`` fixes their clock, so ``now()`` is one instant in a whole run. A Dask frame is
evaluated partition by partition with the same code, so both modes give the same rows and the
same limits (a partition's rows and text size set its budget).

Only ``ExpressionError`` leaves this module: whatever pandas raises while evaluating becomes
``cannot evaluate '<expression>': <reason>``.
"""

from __future__ import annotations

import ast
import difflib
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pypeline.expressions import syntax
from pypeline.expressions.errors import ExpressionError, quoted
from pypeline.expressions.evaluator import Evaluator, truth
from pypeline.expressions.functions import NullTally, registry, run_clock
from pypeline.expressions.limits import Budget, broadcast
from pypeline.expressions.sizes import Sizes, is_series
from pypeline.expressions.tree import constant_parts, show
from pypeline.sdk.functions import ExpressionFunction

SYNTAX_HELP = syntax.SYNTAX_HELP
__all__ = [
    "SYNTAX_HELP",
    "Expression",
    "ExpressionError",
    "NullTally",
    "UnknownColumnError",
    "compile_expression",
]


class UnknownColumnError(ExpressionError):
    """The expression names a column the frame lacks; keeps both so callers can reword it."""

    def __init__(self, column: str, available: list[str], functions: Collection[str] = ()) -> None:
        self.column, self.available, self.functions = column, available, functions
        super().__init__(f"unknown column {column!r} (columns: {self.listing})")

    @property
    def listing(self) -> str:
        """The frame's columns, comma-separated, cut after 30 so a wide frame stays readable."""
        shown = ", ".join(self.available[:30]) or "none"
        return shown + (f", ... ({len(self.available)} in all)" if len(self.available) > 30 else "")

    @property
    def hint(self) -> str:
        """``did you mean 'age'?`` when a column is close to the misspelled name, ``did you mean
        today()?`` when it is a function's (a bare name is a column), else ``""``."""
        if self.column in self.functions:
            return f"did you mean {self.column}()?"
        close = difflib.get_close_matches(self.column, self.available, n=1)
        return f"did you mean {close[0]!r}?" if close else ""


@dataclass(frozen=True)
class Expression:
    """A checked expression; compile once, ``evaluate`` on any number of frames.

    ``columns`` holds the names it reads (back-ticked names without their back ticks);
    ``label`` (``"t (compute_mod): expressions: total"``) starts the errors that a Dask
    partition raises later, in whichever node computes it, so they still name the module.
    ``functions`` are the ones it calls, ``now`` the clock they see (in every partition).

    ``tally`` (pandas frames only) adds up the values its conversions turned into nulls; a
    Dask frame's partitions are evaluated later, when a sink computes them, so nothing counts
    them there.
    """

    text: str
    columns: frozenset[str]
    tree: ast.Expression
    aliases: dict[str, str]
    label: str = ""
    functions: Mapping[str, ExpressionFunction] = field(default_factory=dict)
    now: datetime = field(default_factory=datetime.now)
    catalog: syntax.Catalog = field(default=registry, repr=False, compare=False)

    @property
    def counts_nulled(self) -> bool:
        """It calls a conversion that counts the values it turns into nulls (``values_nulled``)."""
        return any(f.counts_nulled for f in self.functions.values())

    def evaluate(self, frame: Any, tally: NullTally | None = None) -> Any:
        """The expression's value on every row: a pandas or Dask Series aligned with ``frame``."""
        self._check_columns(frame)
        if not _is_dask(frame):
            return self._values(frame, tally)
        meta = self._values(frame._meta)
        return frame.map_partitions(self._in_partition, self._values, meta=meta)

    def mask(self, frame: Any, tally: NullTally | None = None) -> Any:
        """A plain bool Series for row selection: true rows True; false or null rows False."""
        self._check_columns(frame)
        if not _is_dask(frame):
            return self._mask(frame, tally)
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
            raise UnknownColumnError(missing[0], [str(c) for c in frame.columns], self._names())

    def _names(self) -> Collection[str]:
        """The functions' names, for the hint of a column that is one (``today``)."""
        try:
            return set(self.catalog())
        except Exception:  # a broken plugin set just gives no hint here
            return ()

    def _mask(self, frame: Any, tally: NullTally | None = None) -> Any:
        return truth(self._values(frame, tally), lambda: show(self.tree.body, self.aliases))

    def _values(self, frame: Any, tally: NullTally | None = None) -> Any:
        """The value on a pandas frame (one partition in Dask mode), as a Series."""

        def text_read() -> float:
            return sum(Sizes(frame[c]).total_length for c in self.columns)

        budget = Budget(len(frame), self.text, text_read)
        evaluator = Evaluator(frame, self.aliases, budget, self.functions, self.now, tally)
        value = _evaluate(evaluator, self.tree.body, self.text)
        if is_series(value):
            return value
        broadcast(value, budget, lambda: show(self.tree.body, self.aliases))
        return _broadcast(frame, value)


def compile_expression(
    text: str,
    label: str = "",
    *,
    functions: Mapping[str, ExpressionFunction] | None = None,
    run_id: str = "",
) -> Expression:
    """Parse and check ``text``, then evaluate its column-free parts (``10 ** 5000``, ``'%9d' %
    1``, ``upper('a')``) so that an error they hold fails the build; raise ``ExpressionError``
    naming it. ``functions`` replaces the registered ones (tests); ``run_id`` is the run whose
    clock ``now()`` gives (none: the time of this call)."""
    catalog: syntax.Catalog = registry if functions is None else lambda: functions
    tree, aliases, columns, called = syntax.parse(text, catalog)
    now = run_clock(run_id)
    constants = Evaluator(None, aliases, Budget(1, text, lambda: 0.0), called, now)
    for part in constant_parts(tree.body, aliases):
        _evaluate(constants, part, text)
    return Expression(text, columns, tree, aliases, label, called, now, catalog)


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
