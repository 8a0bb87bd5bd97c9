"""Build-time checks of literal option values shared by the file modules.

``check_config`` gets only the keys whose values hold no template, so each helper looks at one
key, skips it when absent, and returns ``(key, message)`` problems for ``pype validate`` to print
with the flow's line and column. Refusing a bad delimiter at build time beats failing an hour
into a run.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable
from typing import Any

Problems = list[tuple[str, str]]


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


def choice(config: dict[str, Any], key: str, allowed: Iterable[str]) -> Problems:
    """An enum option: the message lists what is allowed."""
    options = list(allowed)
    if key in config and config[key] not in options:
        return [(key, f"must be one of {', '.join(options)}; got {config[key]!r}")]
    return []


def non_negative_int(config: dict[str, Any], key: str) -> Problems:
    if key not in config:
        return []
    value = config[key]
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return [(key, f"must be a whole number ≥ 0, got {value!r}")]
    return []


def list_of_names(config: dict[str, Any], key: str) -> Problems:
    """Column lists: non-empty strings, no duplicates."""
    if key not in config or config[key] is None:
        return []
    value = config[key]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        return [(key, f"must be a list of column names, got {value!r}")]
    duplicates = sorted({v for v in value if value.count(v) > 1})
    if duplicates:
        return [(key, f"names a column more than once: {', '.join(duplicates)}")]
    return []
