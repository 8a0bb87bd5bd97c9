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

from pypeline.sdk import checks
from pypeline.sdk.checks import Problems


def column_names(key: str, value: Any, *, allow_empty: bool = True) -> Problems:
    """``value`` is a list of distinct, non-empty column names."""
    return checks.column_names({key: value}, key, allow_empty=allow_empty)


def one_of(key: str, value: Any, choices: Iterable[str]) -> Problems:
    """``value`` is one of ``choices``; unlike ``checks.choice``, a missing value is refused."""
    allowed = list(choices)
    return (
        [] if value in allowed else [(key, f"must be one of {', '.join(allowed)}, not {value!r}")]
    )


def whole_number(key: str, value: Any, minimum: int = 0) -> Problems:
    """``value`` is an int ≥ ``minimum``; YAML's ``yes`` (a bool) is not a number."""
    if value is None:
        return [(key, f"must be a whole number ({minimum} or more), not None")]
    return checks.whole_number({key: value}, key, minimum)


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
