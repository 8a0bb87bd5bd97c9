"""Size checks made *before* an operation whose result a few small arguments can make huge.

Most operations give a result about as big as what they are given, and the sandbox checks that
result after the fact (``limits.checked``). These do not: ``'x'.center(300000000)``,
``'%0300000000d' % 1``, ``(9 ** 999) ** 999`` or ``'ab' * 10**9`` would allocate gigabytes, or
compute for hours, before any check could see the result; so their size is worked out from the
arguments first, and the operation is refused when it would go past ``MAX_TEXT`` or
``MAX_INT_BITS``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from typing import Any

from pypeline.run.templater.budget import measure, tick, too_large
from pypeline.run.templater.limits import MAX_INT_BITS, MAX_TEXT

TEXTS = (str, bytes, bytearray)
SEQUENCES = (*TEXTS, list, tuple)
# %[(name)][flags][width][.precision][length]type
PRINTF_RE = re.compile(r"%(?:\(([^)]*)\))?[#0 +-]*(\*|\d+)?(?:\.(\*|\d*))?[hlL]?(.?)", re.S)
DIGITS_RE = re.compile(r"\d+")


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def number(value: Any) -> int:
    """A width or count as an int: digits (too many of them are simply too big), or an int."""
    if isinstance(value, str):
        return 0 if not value else MAX_TEXT + 1 if len(value) > 7 else int(value)
    return abs(value) if is_int(value) else 0


def check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse ``left <operator> right`` when its result would be too large."""
    what = f"result of {operator!r}"
    if operator == "*":
        for seq, times in ((left, right), (right, left)):
            repeated = isinstance(seq, SEQUENCES) and is_int(times) and len(seq) and times > 0
            brackets = 0 if isinstance(seq, TEXTS) else 2  # printed once, not once a repeat
            if repeated and (measure(seq) - brackets) * times > MAX_TEXT:
                raise too_large(what)
        if _ints(left, right) and left.bit_length() + right.bit_length() > MAX_INT_BITS + 1:
            raise too_large(f"integer {what}", MAX_INT_BITS, "bits")
    elif operator == "**":
        growing = _ints(left, right) and right > 0 and abs(left) > 1
        if growing and right * math.log2(abs(left)) > MAX_INT_BITS:
            raise too_large(f"integer {what}", MAX_INT_BITS, "bits")
    elif operator == "+":
        texts = isinstance(left, SEQUENCES) and isinstance(right, SEQUENCES)
        if texts and measure(left) + measure(right) > MAX_TEXT:
            raise too_large(what)
    elif operator == "%" and isinstance(left, TEXTS):
        check_printf(left, right, what)


def _ints(left: Any, right: Any) -> bool:
    return is_int(left) and is_int(right)


def check_printf(fmt: str | bytes | bytearray, args: Any, what: str) -> None:
    """Refuse ``fmt % args`` when its fields' widths, precisions and values add up too much.

    Each ``%`` field is paired with the value it prints, as Python would pair them, so
    ``('%(a)s' * 1000) % {'a': text}`` counts ``text`` a thousand times. Where the pairing fails
    the check stops, and Python's own ``%`` then says what is wrong.
    """
    text = fmt.decode("latin-1") if isinstance(fmt, bytes | bytearray) else fmt
    if "%" not in text:
        return
    mapping = args if isinstance(args, Mapping) else None
    positional = list(args) if isinstance(args, tuple) else [args]
    total = len(text)
    for match in PRINTF_RE.finditer(text):
        name, width, precision, kind = match.groups()
        if kind == "%":
            continue
        sizes = []
        for given in (width, precision):
            sizes.append(number(positional.pop(0) if given == "*" and positional else given))
        if name is not None and mapping is not None:
            value = mapping.get(name)
        else:
            value = positional.pop(0) if positional else None
        total += max(sizes[0], measure(value)) + sizes[1]
        if total > MAX_TEXT:
            raise too_large(what)
        tick()


def spec_width(spec: str) -> int:
    """The largest number in a ``format()`` spec (``'>300000000'``, ``'.5f'``): its width or
    precision, which is how long a field can get whatever its value."""
    return max((number(digits) for digits in DIGITS_RE.findall(spec)), default=0)


def _padding(text: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    return number(args[0]) if args else 0


def _expandtabs(text: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    size = number(args[0] if args else kwargs.get("tabsize", 8))
    tabs: int = text.count("\t" if isinstance(text, str) else b"\t")
    return len(text) + tabs * size


def _replace(text: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    if len(args) < 2 or not isinstance(args[0], type(text)):
        return 0  # str.replace will say what is wrong
    old, new = args[0], args[1]
    count = text.count(old) if old else len(text) + 1
    if len(args) > 2 and is_int(args[2]) and args[2] >= 0:
        count = min(count, args[2])
    return len(text) + count * max(measure(new) - len(old), 0)


def _translate(text: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    table = args[0] if args else None
    if isinstance(table, Mapping):
        values: Any = table.values()
    elif isinstance(table, list | tuple):
        values = table
    else:
        return len(text)
    return len(text) * max((measure(value) for value in values), default=1)


def _to_bytes(number_: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    return number(args[0] if args else kwargs.get("length", 1))


#: A method of text (or of an int) whose result size its arguments decide, and that size.
METHOD_SIZES: dict[str, Callable[[Any, tuple[Any, ...], dict[str, Any]], int]] = {
    "center": _padding,
    "ljust": _padding,
    "rjust": _padding,
    "zfill": _padding,
    "expandtabs": _expandtabs,
    "replace": _replace,
    "translate": _translate,
    "to_bytes": _to_bytes,
}


def check_method(func: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """Refuse a call of a text method (``'x'.center(10**9)``) that would build too much; the
    arguments to call it with (``join`` gets its items as a list, once they are counted)."""
    owner = getattr(func, "__self__", None)
    name = getattr(func, "__name__", "")
    if isinstance(owner, TEXTS) and name == "join" and len(args) == 1:
        items = list(args[0])
        check_join(owner, items, f"result of {name}()")
        return (items,)
    size = METHOD_SIZES.get(name)
    if (
        size is not None
        and isinstance(owner, (*TEXTS, int))
        and size(owner, args, kwargs) > MAX_TEXT
    ):
        raise too_large(f"result of {name}()")
    return args


def check_join(separator: Any, items: list[Any], what: str) -> None:
    """Refuse joining ``items`` when the separators and the items add up too much."""
    total = measure(separator) * max(len(items) - 1, 0)
    for item in items:
        total += measure(item)
        if total > MAX_TEXT:
            raise too_large(what)
