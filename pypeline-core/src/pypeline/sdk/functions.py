"""What a pack gives ``pypeline_expression_functions``: ``ExpressionFunction`` (SPEC §2, §3).

A function of the expression language is vectorized: its ``implementation`` is called once per
evaluation (once per Dask partition) with whole pandas Series for the arguments that read
columns and plain Python values for literals, and returns a Series aligned with the frame (or a
scalar, broadcast). It never loops over rows in Python. Its first argument is a
``FunctionContext``: the frame's index (to build a Series from scalars), the run's clock (one
``now`` per run) and ``count_nulled`` for conversions that turn unreadable values into nulls.

The build checks every call against ``params`` (the arity, and that ``literal`` parameters are
given literals); nothing a flow writes can call anything that is not registered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol


class FunctionContext(Protocol):
    """What an implementation may ask of the evaluation it is part of."""

    @property
    def index(self) -> Any:
        """The pandas index of the frame (the partition) being evaluated."""

    @property
    def now(self) -> datetime:
        """The run's clock: the same instant for every call of a run (``now()``, ``today()``)."""

    def series(self, value: Any) -> Any:
        """``value`` as a Series on ``index``: a Series unchanged, a scalar repeated."""

    def count_nulled(self, count: int) -> None:
        """Record ``count`` values that could not be converted and became null."""


@dataclass(frozen=True)
class ExpressionFunction:
    """One function of the expression language.

    ``params`` names the parameters in order; the last ``optional`` of them may be left out,
    and with ``variadic`` the last one repeats (``concat(a, b, ...)``: at least ``len(params)``
    arguments). ``literal`` names parameters that must be literals, checked at build time (a
    regular expression, a date format, a width): the build can then check and bound them.
    ``nulls`` says what a null argument gives, for the docs. ``max_length`` bounds the length of
    a text result from the lengths of the text arguments (``None`` for non-text ones) and the
    literal values; the evaluator refuses a call whose bound is over the language's text limit
    before the implementation runs. A function whose result is never longer than its longest
    text argument leaves it ``None``. ``check`` looks at the literal arguments at build time.
    """

    name: str
    params: tuple[str, ...]
    implementation: Callable[..., Any]
    description: str
    group: str = "other"
    nulls: str = "a null argument gives null"
    optional: int = 0
    variadic: bool = False
    literal: tuple[str, ...] = ()
    max_length: Callable[[list[float | None], dict[str, Any]], float] | None = None
    #: Conversions count the values they could not convert (``values_nulled``, SPEC §3).
    counts_nulled: bool = False
    #: The build's check of the arguments written as literals (by parameter name): the problem
    #: with them as one line, or None. A bad pattern, width or format then fails ``pype
    #: validate`` instead of the run.
    check: Callable[[dict[str, Any]], str | None] | None = None
    examples: tuple[str, ...] = field(default=())

    @property
    def signature(self) -> str:
        """``substr(s, start, length)``, ``to_datetime(s[, format])``, ``concat(a, b, ...)``."""
        required = list(self.params[: len(self.params) - self.optional])
        text = ", ".join(required)
        for name in self.params[len(required) :]:
            text += f"[, {name}]" if text else f"[{name}]"
        if self.variadic:
            text += ", ..."
        return f"{self.name}({text})"

    def arity_problem(self, given: int) -> str | None:
        """Why ``given`` arguments do not fit, naming the signature; ``None`` when they do."""
        least = len(self.params) - self.optional
        most = None if self.variadic else len(self.params)
        if given >= least and (most is None or given <= most):
            return None
        if most is None:
            wanted = f"at least {least}"
        elif least == most:
            wanted = f"{least}"
        else:
            wanted = f"{least} to {most}"
        s = "" if wanted == "1" else "s"
        return f"{self.name}() takes {wanted} argument{s}, got {given}: {self.signature}"
