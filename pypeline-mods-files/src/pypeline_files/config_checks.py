"""Build-time checks of literal option values shared by the file modules.

``check_config`` gets only the keys whose values hold no template, so each helper looks at one
key, skips it when absent, and returns ``(key, message)`` problems for ``pype validate`` to print
with the flow's line and column. Refusing a bad delimiter at build time beats failing an hour
into a run.
"""

from __future__ import annotations

import codecs
from typing import Any

from pypeline.sdk.checks import Problems, choice, whole_number
from pypeline.sdk.checks import column_names as list_of_names

__all__ = [
    "Problems",
    "choice",
    "encoding",
    "list_of_names",
    "non_negative_int",
    "one_char",
    "refuse",
]


def refuse(module: str, problems: Problems) -> None:
    """At run time, fail on the first problem: a templated value escaped the build-time check."""
    if problems:
        key, message = problems[0]
        raise ValueError(f"{module}: {key}: {message}")


def one_char(config: dict[str, Any], key: str) -> Problems:
    """Delimiters and quote characters are exactly one character (``\\t`` for tabs)."""
    if key not in config:
        return []
    value = config[key]
    if not isinstance(value, str) or len(value) != 1:
        return [(key, f"must be a single character, got {value!r}")]
    if value in "\r\n":
        return [(key, "must not be a line break")]
    return []


def encoding(config: dict[str, Any], key: str = "encoding") -> Problems:
    """A name Python's codecs know (utf-8, latin-1, cp1252, ...)."""
    if key not in config:
        return []
    value = config[key]
    try:
        codecs.lookup(str(value))
    except LookupError:
        return [(key, f"unknown encoding {value!r}")]
    return []


def non_negative_int(config: dict[str, Any], key: str) -> Problems:
    """A count that may be 0 (``skip_rows``)."""
    return whole_number(config, key, 0)
