"""Per operator, an upper bound of its result's size from its operands' ``Sizes``.

Each estimate gives ``(length, bits)``: the length of the text (list, bytes) value it makes and
the bit length of the Python integer it makes, per row for a column. ``limits``
compares them with the limits before the operator runs; an operator added to the language
(or a function, later) adds its estimate here, and the table makes a missing one a ``KeyError``
in the tests rather than an unbounded operation in a run.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from pypeline.expressions.sizes import Size, Sizes, format_length, is_text


def _add(left: Sizes, right: Sizes) -> tuple[Size, Size]:
    return left.length + right.length, _carry(_wider(left.bits, right.bits))


def _sub(left: Sizes, right: Sizes) -> tuple[Size, Size]:  # sets from a source: at most left
    return left.length, _carry(_wider(left.bits, right.bits))


def _mul(left: Sizes, right: Sizes) -> tuple[Size, Size]:
    return _repeated(left, right) + _repeated(right, left), left.bits + right.bits


def _repeated(sequence: Sizes, times: Sizes) -> Size:
    """Length × count; the count is not measured when there is nothing to repeat."""
    return 0.0 if _is_zero(sequence.length) else sequence.length * times.count


def _div(left: Sizes, right: Sizes) -> tuple[Size, Size]:  # floats
    return 0.0, 0.0


def _floordiv(left: Sizes, right: Sizes) -> tuple[Size, Size]:
    return 0.0, left.bits


def _mod(left: Sizes, right: Sizes) -> tuple[Size, Size]:
    length = format_length(left.value, right.value) if _may_be_text(left) else 0.0
    return length, _wider(left.bits, right.bits)


def _pow(left: Sizes, right: Sizes) -> tuple[Size, Size]:
    # |base| <= 1 (0, 1, -1, one bit or none) stays small whatever the exponent
    if _is_zero(left.bits):
        return 0.0, 0.0
    bits = left.bits * right.count
    if isinstance(bits, float):
        return 0.0, bits if left.bits > 1 else left.bits
    import numpy as np

    return 0.0, np.where(np.asarray(left.bits) > 1, bits, left.bits)


def _may_be_text(sizes: Sizes) -> bool:
    return is_text(sizes.value) or (sizes.series and sizes.value.dtype.kind in "OSUT")


def _wider(left: Size, right: Size) -> Size:
    if isinstance(left, float) and isinstance(right, float):
        return max(left, right)
    import numpy as np

    return np.maximum(left, right)


def _is_zero(size: Size) -> bool:
    return isinstance(size, float) and size == 0.0


def _carry(bits: Size) -> Size:
    """One more bit where there are Python integers (a carry); none for fixed-width numbers."""
    if isinstance(bits, float):
        return bits + 1 if bits else 0.0
    import numpy as np

    return np.where(bits > 0, bits + 1, 0.0)


ESTIMATES: dict[type[ast.operator], Callable[[Sizes, Sizes], tuple[Size, Size]]] = {
    ast.Add: _add, ast.Sub: _sub, ast.Mult: _mul, ast.Div: _div, ast.FloorDiv: _floordiv,
    ast.Mod: _mod, ast.Pow: _pow,
}  # fmt: skip
