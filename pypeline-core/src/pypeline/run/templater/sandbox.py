"""Jinja2's sandbox with limits, the only place the templater touches Jinja2's environment.

Kept in its own module so that a run whose configs hold no template never imports Jinja2.
The sandbox stops a template from reaching Python's internals; it does not stop one from
hanging the run or filling its memory. Here every operator (``intercepted_binops``), every call
(``call``: functions, methods, macros), every attribute access, every filter (``filters.py``),
every loop step, every ``~`` and every output (``codegen.py``) checks the render's clock, and
each result is checked against the size limits of ``limits.py``, the operations a small argument
can blow up before they run (``amplifiers.py``).

The environment is immutable (``ImmutableSandboxedEnvironment``): a template cannot call
``append`` or ``update`` on a list or dict, so it cannot grow one in a loop, nor change the run's
``context`` for the templates rendered after it.
"""

from __future__ import annotations

import functools
import types
from collections.abc import Callable, Iterable, Iterator
from pathlib import PurePath
from typing import Any

from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedFormatter
from markupsafe import EscapeFormatter, Markup

from pypeline.run.templater import budget
from pypeline.run.templater.amplifiers import check_binop, check_method, spec_width
from pypeline.run.templater.budget import checked, measure, tick, too_large
from pypeline.run.templater.codegen import LimitedCodeGenerator
from pypeline.run.templater.filters import (
    LimitedNamespace,
    limited,
    limited_lipsum,
    limited_range,
)
from pypeline.run.templater.limits import MAX_TEXT


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja2's immutable sandbox, with every operation bounded in time and size."""

    intercepted_binops = frozenset(["+", "-", "*", "/", "//", "%", "**"])
    code_generator_class = LimitedCodeGenerator

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        tick()
        check_binop(operator, left, right)
        return checked(
            super().call_binop(context, operator, left, right), f"result of {operator!r}"
        )

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        tick()
        args = check_method(__obj, args, kwargs)
        result = super().call(__context, __obj, *args, **kwargs)
        name = getattr(__obj, "__name__", None) or getattr(__obj, "name", None) or "a call"
        return checked(result, f"result of {name}()")

    def getattr(self, obj: Any, attribute: str) -> Any:
        tick()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        tick()
        return super().getitem(obj, argument)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """``'...'.format`` and ``format_map`` with ``LimitedFormatter`` (as Jinja2's own)."""
        if not isinstance(value, types.MethodType | types.BuiltinMethodType):
            return None
        text = getattr(value, "__self__", None)
        if value.__name__ not in ("format", "format_map") or not isinstance(text, str):
            return None
        formatter: SandboxedFormatter
        if isinstance(text, Markup):
            formatter = LimitedEscapeFormatter(self, escape=text.escape)
        else:
            formatter = LimitedFormatter(self)
        mapping = value.__name__ == "format_map"

        def wrapper(*args: Any, **kwargs: Any) -> str:
            if mapping:
                if kwargs:
                    raise TypeError("format_map() takes no keyword arguments")
                if len(args) != 1:
                    raise TypeError(f"format_map() takes exactly one argument ({len(args)} given)")
                kwargs, args = args[0], ()
            return type(text)(formatter.vformat(text, args, kwargs))

        return functools.update_wrapper(wrapper, value)

    # Called by the code ``LimitedCodeGenerator`` writes.

    def limited_loop(self, iterable: Iterable[Any]) -> LimitedLoop:
        return LimitedLoop(iterable)

    def limited_concat(self, join: Callable[[Any], str], parts: tuple[Any, ...]) -> str:
        tick()
        if sum(measure(part) for part in parts) > MAX_TEXT:
            raise too_large("result of '~'")
        return join(parts)

    def limited_literal(self, value: Any) -> Any:
        tick()
        return checked(value, type(value).__name__)

    def output(self, text: str) -> str:
        """Text computed by the template: counted, and kept to be masked once a secret was read."""
        tick()
        budget.written(len(text))
        state = budget.current()
        if state is not None and state.secret_reads:
            state.tainted.append(text)
        return text

    def output_text(self, text: str) -> str:
        """Text of the template itself: counted; it ends a run of computed text."""
        budget.written(len(text))
        state = budget.current()
        if state is not None and state.tainted and state.tainted[-1]:
            state.tainted.append("")
        return text


class LimitedLoop:
    """A ``for`` loop's iterable that checks the render's clock at every step."""

    def __init__(self, iterable: Iterable[Any]) -> None:
        self._iterable = iterable

    def __iter__(self) -> Iterator[Any]:
        for item in self._iterable:
            tick()
            yield item

    def __len__(self) -> int:
        return len(self._iterable)  # type: ignore[arg-type]  # TypeError, as loop.length expects


class LimitedFormatter(SandboxedFormatter):
    """``str.format`` that counts its fields: a width (``{:>300000000}``) is refused before the
    field is padded, and fields that add up too much (``('{0}' * 10**5).format(text)``) stop."""

    total = 0

    def vformat(self, format_string: str, args: Any, kwargs: Any) -> str:
        self.total = 0
        return super().vformat(format_string, args, kwargs)

    def format_field(self, value: Any, format_spec: str) -> Any:
        tick()
        self.total += max(spec_width(format_spec), measure(value))
        if self.total > MAX_TEXT:
            raise too_large("result of format()")
        return super().format_field(value, format_spec)


class LimitedEscapeFormatter(LimitedFormatter, EscapeFormatter):
    """``LimitedFormatter`` for ``Markup`` text, escaping what it inserts."""


def _output_value(value: Any) -> Any:
    """``finalize``: every ``{{ }}`` value is sized before it is turned into text."""
    return checked(value, "output")


def make_sandbox(functions: dict[str, Any]) -> Sandbox:
    """The run's environment: strict undefined names, the run's functions, path filters."""
    env = Sandbox(undefined=StrictUndefined, autoescape=False, finalize=_output_value)
    env.globals.update(functions)
    env.globals.update(range=limited_range, lipsum=limited_lipsum, namespace=LimitedNamespace)
    env.filters["basename"] = lambda path: PurePath(str(path)).name
    env.filters["stem"] = lambda path: PurePath(str(path)).stem
    env.filters = {name: limited(name, func) for name, func in env.filters.items()}
    return env
