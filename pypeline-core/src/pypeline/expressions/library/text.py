"""Text functions: case, spaces, length, pieces, joining and padding (SPEC §3).

All run on Arrow strings (``pyarrow.compute``, measured as fast as pandas' ``.str`` on 1M rows:
lower 20 ms either way, strip 23 vs 26 ms, substr 20 vs 21 ms, pad 38 vs 38 ms; split_part 1.1 s
in pandas, 90 ms here; concat 0.13 s where pandas' ``fillna('') +`` takes 0.36 s).
A non-text argument is read as its text (``lower(42)`` is ``'42'``).
Lengths and positions count characters (Unicode code points): 'é' written as 'e' plus a
combining accent is two.
"""

from __future__ import annotations

from typing import Any

from pypeline.expressions.library.arrays import (
    PRINTED,
    from_ints,
    from_text,
    large,
    literal_text,
    literals,
    text,
    whole,
)
from pypeline.sdk.functions import ExpressionFunction, FunctionContext

_NULL = "a null gives null"


def _lower(fctx: FunctionContext, s: Any) -> Any:
    import pyarrow.compute as pc

    return from_text(fctx, pc.utf8_lower(text(fctx, s)))


def _upper(fctx: FunctionContext, s: Any) -> Any:
    import pyarrow.compute as pc

    return from_text(fctx, pc.utf8_upper(text(fctx, s)))


def _strip(which: str) -> Any:
    def strip(fctx: FunctionContext, s: Any) -> Any:
        import pyarrow.compute as pc

        return from_text(fctx, getattr(pc, which)(text(fctx, s)))

    return strip


def _length(fctx: FunctionContext, s: Any) -> Any:
    import pyarrow.compute as pc

    return from_ints(fctx, pc.utf8_length(text(fctx, s)))


def _substr(fctx: FunctionContext, s: Any, start: Any, length: Any = None) -> Any:
    """SQL's rule: positions before 1 count, so ``substr('abc', 0, 2)`` is ``'a'``."""
    import pyarrow.compute as pc

    first = whole(start, "start", -(2**62)) - 1
    stop = None if length is None else first + whole(length, "length", 0)
    if stop is not None and stop <= 0:
        return from_text(fctx, pc.utf8_slice_codeunits(text(fctx, s), 0, 0))
    return from_text(fctx, pc.utf8_slice_codeunits(text(fctx, s), max(first, 0), stop))


def _concat(fctx: FunctionContext, *parts: Any) -> Any:
    import pyarrow.compute as pc

    arrays = [text(fctx, part) for part in parts]
    joined = pc.binary_join_element_wise(
        *arrays, large(""), null_handling="replace", null_replacement=""
    )
    return from_text(fctx, joined)


def _split_part(fctx: FunctionContext, s: Any, sep: Any, n: Any) -> Any:
    """The ``n``-th piece (1-based); past the last piece, empty text (as PostgreSQL)."""
    import pyarrow.compute as pc

    values = text(fctx, s)
    parts = pc.split_pattern(values, literal_text(sep, "sep", empty=False))
    at = whole(n, "n", 1) - 1
    piece = pc.list_element(pc.list_slice(parts, at, at + 1, return_fixed_size_list=True), 0)
    return from_text(fctx, pc.if_else(pc.is_valid(values), pc.fill_null(piece, ""), None))


def _one_character(fill: Any) -> str:
    if len(literal_text(fill, "fill")) != 1:
        raise ValueError(f"fill must be one character, not {fill!r}")
    return str(fill)


def _pad_left(fctx: FunctionContext, s: Any, width: Any, fill: Any = " ") -> Any:
    import pyarrow.compute as pc

    _one_character(fill)
    return from_text(fctx, pc.utf8_lpad(text(fctx, s), whole(width, "width", 0), fill))


def _longest(lengths: list[float | None]) -> float:
    return max((PRINTED if n is None else n) for n in lengths)


def _case_bound(lengths: list[float | None], literals: dict[str, Any]) -> float:
    """As long as s: Arrow maps each character to one (Unicode's simple case mapping), where
    Python's ``str.upper`` may make three of one ('ΐ'); the bytes may grow, the characters
    the limits count do not."""
    return _longest(lengths)


def _pad_bound(lengths: list[float | None], literals: dict[str, Any]) -> float:
    width = literals.get("width")
    return max(_longest(lengths[:1]), float(width) if isinstance(width, int) else 0.0)


def _concat_bound(lengths: list[float | None], literals: dict[str, Any]) -> float:
    return sum((PRINTED if n is None else n) for n in lengths)


_SUBSTR_ARGS = literals(
    start=lambda v: whole(v, "start", -(2**62)), length=lambda v: whole(v, "length", 0)
)
_SPLIT_ARGS = literals(
    sep=lambda v: literal_text(v, "sep", empty=False), n=lambda v: whole(v, "n", 1)
)

FUNCTIONS = (
    ExpressionFunction(
        "lower", ("s",), _lower, "s in lower case, character by character ('İ' → 'i').",
        group="text", nulls=_NULL, max_length=_case_bound, examples=("lower(name)",),
    ),
    ExpressionFunction(
        "upper", ("s",), _upper, "s in upper case, character by character ('ß' → 'ẞ').",
        group="text", nulls=_NULL, max_length=_case_bound, examples=("upper(country)",),
    ),
    ExpressionFunction(
        "strip", ("s",), _strip("utf8_trim_whitespace"),
        "s without the spaces (any Unicode white space) at its start and end.",
        group="text", nulls=_NULL, examples=("strip(name)",),
    ),
    ExpressionFunction(
        "lstrip", ("s",), _strip("utf8_ltrim_whitespace"), "s without its leading spaces.",
        group="text", nulls=_NULL,
    ),
    ExpressionFunction(
        "rstrip", ("s",), _strip("utf8_rtrim_whitespace"), "s without its trailing spaces.",
        group="text", nulls=_NULL,
    ),
    ExpressionFunction(
        "length", ("s",), _length,
        "The number of characters of s (Unicode code points), as a whole number.",
        group="text", nulls=_NULL, examples=("length(code) == 5",),
    ),
    ExpressionFunction(
        "substr", ("s", "start", "length"), _substr,
        "The characters of s from position start (1 is the first, as in SQL), at most length "
        "of them (all the rest without length); start and length are literal whole numbers.",
        group="text", nulls=_NULL, optional=1, literal=("start", "length"),
        check=_SUBSTR_ARGS,
        examples=("substr(zip, 1, 2)",),
    ),
    ExpressionFunction(
        "concat", ("a", "b"), _concat,
        "The texts joined, in order; numbers and dates are joined as their text.",
        group="text", nulls="a null is joined as empty text; never null", variadic=True,
        max_length=_concat_bound, examples=("concat(first, ' ', last)",),
    ),
    ExpressionFunction(
        "split_part", ("s", "sep", "n"), _split_part,
        "The n-th piece of s cut at each sep (n = 1 is the first, as in SQL); empty text when "
        "s has fewer pieces. sep is literal non-empty text, n a literal whole number ≥ 1.",
        group="text", nulls=_NULL, literal=("sep", "n"), examples=("split_part(email, '@', 2)",),
        check=_SPLIT_ARGS,
    ),
    ExpressionFunction(
        "pad_left", ("s", "width", "fill"), _pad_left,
        "s with fill (one character, a space by default) added in front up to width "
        "characters; a longer s is kept whole. width and fill are literals.",
        group="text", nulls=_NULL, optional=1, literal=("width", "fill"),
        check=literals(width=lambda v: whole(v, "width", 0), fill=_one_character),
        max_length=_pad_bound, examples=("pad_left(to_str(id), 6, '0')",),
    ),
)  # fmt: skip
