"""Checks of option values for any module's ``check_config``, core and packs alike (SPEC §3).

Every check has one signature, ``check(config, key, ...) -> Problems``, and returns ``(key,
message)`` pairs. The engine calls ``check_config`` twice, with the same words: the build on the
literal values (``pype validate`` prints each problem with the flow's line and column), the run
on the values its templates rendered, before ``run`` (the node fails with the first problem).
So a module's ``run`` trusts its config and checks only what needs the data.

At build time a key whose value is a template is absent from ``config``: every check skips an
absent key. A null value is a key given as empty; checks accept it unless told otherwise.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Sequence
from typing import Any

Problems = list[tuple[str, str]]


def choice(
    config: dict[str, Any], key: str, allowed: Iterable[str], *, nullable: bool = True
) -> Problems:
    """An enum option: the message lists what is allowed."""
    options = list(allowed)
    if key not in config or (config[key] is None and nullable) or config[key] in options:
        return []
    return [(key, f"must be one of {', '.join(options)}, not {config[key]!r}")]


def whole_number(
    config: dict[str, Any], key: str, minimum: int = 0, *, nullable: bool = True
) -> Problems:
    """An int ≥ ``minimum``; YAML's ``yes`` (a bool) is not a number."""
    if key not in config or (config[key] is None and nullable):
        return []
    value = config[key]
    if isinstance(value, bool) or not isinstance(value, int):
        return [(key, f"must be a whole number ({minimum} or more), not {value!r}")]
    if value < minimum:
        return [(key, f"must be {minimum} or more, not {value}")]
    return []


def column_names(config: dict[str, Any], key: str, *, allow_empty: bool = True) -> Problems:
    """A list of distinct, non-empty column names."""
    value = config.get(key)
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


def text_mapping(config: dict[str, Any], key: str, what: str) -> Problems:
    """A non-empty mapping of column name → text (``what`` says which text, e.g. "a type")."""
    if config.get(key) is None:
        return []
    value = config[key]
    if not isinstance(value, dict) or not value:
        return [(key, f"must map each column to {what}, e.g. {{total: ...}}, not {value!r}")]
    for column, text in value.items():
        if not (isinstance(column, str) and column):
            return [(key, f"{column!r}: a column name must be text")]
        if not isinstance(text, str):
            return [(key, f"{column}: must be {what} in text, not {text!r}")]
    return []


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


def encoding(config: dict[str, Any], key: str) -> Problems:
    """A name Python's codecs know (utf-8, latin-1, cp1252, ...)."""
    if key not in config:
        return []
    try:
        codecs.lookup(str(config[key]))
    except LookupError:
        return [(key, f"unknown encoding {config[key]!r}")]
    return []


def given(config: dict[str, Any], keys: Sequence[str], message: str) -> Problems:
    """At least one of ``keys`` has a value, or ``(keys[0], message)``.

    Only a key present and null (or empty text) counts as not given: an absent one may be a
    template the build cannot see, so give each of ``keys`` a ``default`` of null in the schema.
    """
    if all(k in config and config[k] in (None, "") for k in keys):
        return [(keys[0], message)]
    return []
