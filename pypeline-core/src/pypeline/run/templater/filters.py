"""Jinja2's filters and globals, each bounded by the render limits.

Filters are called straight from compiled templates, not through the sandbox's ``call`` hook,
so each one is wrapped here: the render's clock is checked, the filters whose result a small
argument can make huge (``center(300000000)``, ``indent(10**9)``, ``batch``, ``slice``,
``wordwrap``, ``replace``, ``join``, ``format``) are checked before they run, and every result
is checked after (a lazy one as it is consumed). ``range`` and ``lipsum`` are replaced by
bounded ones, ``namespace`` by one whose attributes are checked when set, and ``sum`` of lists
adds them in linear time.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterator
from typing import Any

from jinja2.filters import make_attrgetter
from jinja2.utils import Namespace, generate_lorem_ipsum

from pypeline.run.templater.amplifiers import check_join, check_printf, number
from pypeline.run.templater.budget import checked, measure, tick, too_large
from pypeline.run.templater.limits import MAX_ITEMS, MAX_TEXT, MAX_WRAP_LINES

Args = tuple[Any, ...]
Kwargs = dict[str, Any]


def _arg(args: Args, kwargs: Kwargs, index: int, name: str, default: Any) -> Any:
    return args[index] if len(args) > index else kwargs.get(name, default)


def _center(args: Args, kwargs: Kwargs) -> int:
    return measure(args[0]) + number(_arg(args, kwargs, 1, "width", 80))


def _indent(args: Args, kwargs: Kwargs) -> int:
    text, width = str(args[0]), _arg(args, kwargs, 1, "width", 4)
    size = len(width) if isinstance(width, str) else number(width)
    return len(text) + size * (text.count("\n") + 1)


def _replace(args: Args, kwargs: Kwargs) -> int:
    if len(args) < 2:
        return 0  # the filter itself says what is missing
    text, old, new = str(args[0]), str(args[1]), _arg(args, kwargs, 2, "new", "")
    count = text.count(old) if old else len(text) + 1
    return len(text) + count * max(measure(str(new)) - len(old), 0)


def _wordwrap(args: Args, kwargs: Kwargs) -> int:
    text, width = str(args[0]), max(number(_arg(args, kwargs, 1, "width", 79)), 1)
    lines = len(text) // width + text.count("\n") + 1
    if lines > MAX_WRAP_LINES:
        raise too_large("result of filter 'wordwrap'", MAX_WRAP_LINES, "lines")
    wrap = _arg(args, kwargs, 3, "wrapstring", None)
    return len(text) + lines * (len(str(wrap)) if wrap is not None else 1)


def _format(args: Args, kwargs: Kwargs) -> int:
    check_printf(str(args[0]), kwargs or tuple(args[1:]), "result of filter 'format'")
    return 0


def _count(name: str, index: int, key: str) -> Callable[[Args, Kwargs], int]:
    def size(args: Args, kwargs: Kwargs) -> int:
        if number(_arg(args, kwargs, index, key, 0)) > MAX_ITEMS:
            raise too_large(f"{key} of filter {name!r}", MAX_ITEMS, "items")
        return 0

    return size


#: Filters whose result size an argument decides: that size, worked out before they run.
SIZES: dict[str, Callable[[Args, Kwargs], int]] = {
    "center": _center,
    "indent": _indent,
    "replace": _replace,
    "wordwrap": _wordwrap,
    "format": _format,
    "batch": _count("batch", 1, "linecount"),
    "slice": _count("slice", 1, "slices"),
}


def limited(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """``func`` (the filter ``name``), refused before it builds too much, checked after."""
    skip = 1 if hasattr(func, "jinja_pass_arg") else 0  # the context or environment it is given

    @functools.wraps(func)
    def filter_(*args: Any, **kwargs: Any) -> Any:
        tick()
        given = args[skip:]
        if given and name in SIZES and SIZES[name](given, kwargs) > MAX_TEXT:
            raise too_large(f"result of filter {name!r}")
        if given and name == "join":
            return checked(_join(args[0], given, kwargs, func), "result of filter 'join'")
        if name == "sum" and isinstance(_arg(given, kwargs, 2, "start", 0), list | tuple):
            return checked(_sequence_sum(*args, **kwargs), "result of filter 'sum'")
        result = func(*args, **kwargs)
        if isinstance(result, Iterator):
            return LimitedIterator(result, f"result of filter {name!r}")
        return checked(result, f"result of filter {name!r}")

    return filter_


class LimitedIterator:
    """A filter's lazy result (``map``, ``select``, ``batch``, ``unique``...), counted as it is
    consumed: ``range(1000)|map('center', 999999)|list`` stops at the limit instead of building
    a list of a thousand big strings before anything could see its size."""

    def __init__(self, items: Iterator[Any], what: str) -> None:
        self._items, self._what, self._total = items, what, 0

    def __iter__(self) -> LimitedIterator:
        return self

    def __next__(self) -> Any:
        tick()
        item = next(self._items)
        self._total += measure(item) + 2
        if self._total > MAX_TEXT:
            raise too_large(self._what)
        return item


def _join(eval_ctx: Any, given: Args, kwargs: Kwargs, func: Callable[..., Any]) -> Any:
    """``join``, its items counted first (taken by ``attribute`` if it names one)."""
    separator, attribute = (
        _arg(given, kwargs, 1, "d", ""),
        _arg(given, kwargs, 2, "attribute", None),
    )
    items = list(given[0])
    if attribute is not None:
        items = list(map(make_attrgetter(eval_ctx.environment, attribute), items))
    check_join(separator, items, "result of filter 'join'")
    return func(eval_ctx, items, separator)


def _sequence_sum(environment: Any, iterable: Any, attribute: Any = None, start: Any = 0) -> Any:
    """``sum`` of lists or tuples: Python's ``sum`` copies the total at each step (quadratic,
    minutes for 300,000 short lists); one pass gives the same result."""
    if attribute is not None:
        iterable = map(make_attrgetter(environment, attribute), iterable)
    parts = [start, *iterable]
    total = 0
    for part in parts:
        if not isinstance(part, type(start)):
            kind, other = type(start).__name__, type(part).__name__
            raise TypeError(f'can only concatenate {kind} (not "{other}") to {kind}')
        total += measure(part)
        if total > MAX_TEXT:
            raise too_large("result of filter 'sum'")
    return type(start)(itertools.chain.from_iterable(parts))


def limited_range(*args: int) -> range:
    """``range()`` of at most ``MAX_ITEMS`` items."""
    items = range(*args)
    if len(items) > MAX_ITEMS:
        raise too_large(f"range of {len(items):,} items", MAX_ITEMS, "items")
    return items


def limited_lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
    """``lipsum()``, refused when its paragraphs would hold more than ``MAX_TEXT`` characters
    (about 12 per word)."""
    if number(n) * number(max) * 12 > MAX_TEXT:
        raise too_large("result of lipsum()")
    return generate_lorem_ipsum(n=n, html=html, min=min, max=max)


class LimitedNamespace(Namespace):
    """``namespace()`` whose attributes are checked when set, so ``ns.s = ns.s ~ ns.s`` in a
    loop stops at the limit instead of doubling until memory runs out."""

    def __setitem__(self, name: str, value: Any) -> None:
        super().__setitem__(name, checked(value, f"namespace attribute {name!r}"))
