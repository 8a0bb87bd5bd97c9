"""Build-time checks of option shapes the transforms share (lists of columns, choices, counts).

``check_config`` gets literal values only (a templated value is checked when it is rendered,
at run time), already type-checked against ``CONFIG_SCHEMA`` when the schema names a type. These
functions check what a schema type cannot: that a list holds column names, that a text is one
of a few words, that a number is not negative. Each returns ``(key, message)`` problems, the
shape the build reports as ``file:line:col: module 'id' (name): key: message``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

Problems = list[tuple[str, str]]


def column_names(key: str, value: Any, *, allow_empty: bool = True) -> Problems:
    """``value`` is a list of distinct, non-empty column names."""
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        return [(key, f"must be a list of column names, e.g. [id, name], not {value!r}")]
    if not value and not allow_empty:
        return [(key, "must name at least one column")]
    twice = sorted({v for v in value if value.count(v) > 1})
    if twice:
        return [(key, f"names a column more than once: {', '.join(twice)}")]
    return []


def one_of(key: str, value: Any, choices: Iterable[str]) -> Problems:
    """``value`` is one of ``choices`` (and says which ones there are when it is not)."""
    allowed = list(choices)
    if value in allowed:
        return []
    return [(key, f"must be one of {', '.join(allowed)}, not {value!r}")]


def whole_number(key: str, value: Any, minimum: int = 0) -> Problems:
    """``value`` is an int ≥ ``minimum``; YAML's ``yes`` (a bool) is not a number."""
    if isinstance(value, bool) or not isinstance(value, int):
        return [(key, f"must be a whole number ({minimum} or more), not {value!r}")]
    if value < minimum:
        return [(key, f"must be {minimum} or more, not {value}")]
    return []


def text_mapping(key: str, value: Any, what: str) -> Problems:
    """``value`` is a non-empty mapping of column name → text (``what`` says which text)."""
    if not isinstance(value, dict) or not value:
        return [(key, f"must map each column to {what}, e.g. {{total: ...}}, not {value!r}")]
    for column, text in value.items():
        if not (isinstance(column, str) and column):
            return [(key, f"{column!r}: a column name must be text")]
        if not isinstance(text, str):
            return [(key, f"{column}: must be {what} in text, not {text!r}")]
    return []
