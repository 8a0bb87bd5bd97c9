"""How big an operator's operands are, measured before it runs (``limits`` decides).

One formula must serve a constant and a column, so every measure is a float for a constant and
a numpy float array (one entry per row) for a column: ``length`` of text, bytes or list values
(0 for anything else), ``count`` an integer's value as a repetition count (negatives count 0),
``bits`` the bit length of Python integers. Fixed-width numpy numbers measure 0 bits: they wrap
or overflow, they never grow. Typed columns are measured from their dtype, vectorized; object
columns (which may hold anything a source produced) element by element, each measure only
when an operator asks for it. numpy is imported only when a column is measured: checking a
flow's constants at build time must not load it.
"""

from __future__ import annotations

import functools
import numbers
import re
from typing import Any

from pypeline.expressions.errors import ExpressionError

Size = Any  # float for a constant, numpy float array for a column
_SEQUENCES = (str, bytes, bytearray, list, tuple)
_CLIP = float(2**62)
# one % conversion: (mapping key) flags width .precision length-modifier type
_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d*))?[hlL]?(.?)", re.DOTALL)


def is_series(value: Any) -> bool:
    return hasattr(value, "isna") and hasattr(value, "dtype")


def is_text(value: Any) -> bool:
    return isinstance(value, str | bytes | bytearray)


class Sizes:
    """The measures of one operand, computed on first use and kept."""

    def __init__(self, value: Any) -> None:
        self.value = value
        self.series = is_series(value)

    @functools.cached_property
    def length(self) -> Size:
        if not self.series:
            return _length(self.value)
        if _is_object(self.value):
            return _each(self.value, _length)
        return _typed_lengths(self.value)

    @functools.cached_property
    def count(self) -> Size:
        if not self.series:
            return _count(self.value)
        if _is_object(self.value):
            return _each(self.value, _count)
        if self.value.dtype.kind in "iub":
            import numpy as np

            return np.clip(self.value.to_numpy(dtype=float, na_value=0.0), 0.0, _CLIP)
        return 0.0

    @functools.cached_property
    def bits(self) -> Size:
        if not self.series:
            return _bits(self.value)
        return _each(self.value, _bits) if _is_object(self.value) else 0.0

    @functools.cached_property
    def total_length(self) -> float:
        """The characters (items) of all its text (list) values together."""
        return largest_and_total(self.length, 1)[1]


def largest_and_total(size: Size, rows: int) -> tuple[float, float]:
    """The largest value and the sum over ``rows`` rows (a constant counts on every row)."""
    if isinstance(size, float):
        return size, size * rows
    if not len(size):
        return 0.0, 0.0
    return float(size.max()), float(size.sum())


def format_length(template: Any, argument: Any) -> Size:
    """An upper bound of ``len(template % argument)``, per row when either is a column.

    Each conversion counts the larger of its width and its precision plus the argument's own
    width; the argument must be one plain value (a tuple would feed ``*`` widths, a mapping
    ``%(key)s`` look-ups)."""
    if not (is_series(template) or is_series(argument)):
        return _format_length(template, argument)
    import numpy as np

    rows = len(template if is_series(template) else argument)
    templates = template.to_numpy(dtype=object) if is_series(template) else [template] * rows
    arguments = argument.to_numpy(dtype=object) if is_series(argument) else [argument] * rows
    pairs = zip(templates, arguments, strict=True)
    return np.fromiter((_format_length(t, a) for t, a in pairs), dtype=float, count=rows)


def _format_length(template: Any, argument: Any) -> float:
    if isinstance(template, bytes | bytearray):
        template = template.decode("latin-1")
    if not isinstance(template, str) or "%" not in template:
        return 0.0
    printed = _printed_width(argument)
    total = float(len(template))
    for match in _SPEC.finditer(template):
        width, precision = (float(n) if n and n != "*" else 0.0 for n in match.group(1, 2))
        conversion = match.group(3)
        own = 1.0 if conversion == "%" else printed * 10 + 3 if conversion in "ra" else printed
        total += max(width, precision + own)  # repr escapes a character in up to 10
    return total


def _printed_width(value: Any) -> float:
    """At most how many characters a conversion prints for ``value`` before padding."""
    if isinstance(value, str | bytes):
        return float(len(value))
    if value is None or isinstance(value, bool):
        return 5.0
    if isinstance(value, numbers.Integral):
        return int(value).bit_length() * 0.302 + 3  # decimal digits and a sign
    if isinstance(value, float) or _is_numpy_scalar(value):
        return 330.0  # '%f' of the largest float prints 309 digits; others print fewer
    kind = type(value).__name__
    raise ExpressionError(f"'%' formats one value (text, a number or null), not a {kind}")


def _is_numpy_scalar(value: Any) -> bool:
    if type(value).__module__ != "numpy":
        return False
    import numpy as np

    return isinstance(value, np.floating | np.bool_)


def _is_object(series: Any) -> bool:
    return str(series.dtype) == "object"


def _typed_lengths(series: Any) -> Size:
    """Lengths in a typed column: pandas' strings, Arrow's binary values; 0 for the rest."""
    import pandas as pd

    if pd.api.types.is_string_dtype(series.dtype):
        return series.str.len().to_numpy(dtype=float, na_value=0.0)
    arrow_type = getattr(series.dtype, "pyarrow_dtype", None)
    if arrow_type is None:
        return 0.0
    import pyarrow as pa
    import pyarrow.compute as pc

    if not (pa.types.is_binary(arrow_type) or pa.types.is_large_binary(arrow_type)):
        return 0.0
    lengths = pc.binary_length(pa.array(series))
    return pd.Series(lengths, dtype=pd.ArrowDtype(lengths.type)).to_numpy(float, na_value=0.0)


def _each(series: Any, measure: Any) -> Any:
    import numpy as np

    values = series.to_numpy(dtype=object)
    return np.fromiter(map(measure, values), dtype=float, count=len(values))


def _length(value: Any) -> float:
    return float(len(value)) if isinstance(value, _SEQUENCES) else 0.0


def _count(value: Any) -> float:
    if isinstance(value, numbers.Integral):  # int, bool and numpy's integers
        number = int(value)
        return _CLIP if number >= _CLIP else float(max(number, 0))
    return 0.0


def _bits(value: Any) -> float:
    return float(value.bit_length()) if isinstance(value, int) else 0.0
