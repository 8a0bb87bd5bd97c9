"""Checks of literal option values, for any module's ``check_config`` (core and packs alike).

``check_config`` gets only the keys whose values hold no template, so every helper looks at one
key, skips it when absent or null, and returns ``(key, message)`` problems that ``pype
validate`` prints with the flow's line and column. At run time a module calls ``refuse`` on the
rendered config: a templated value that escaped the build check fails there, naming the key.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

Problems = list[tuple[str, str]]


def refuse(label: str, problems: Problems, error: type[Exception] = ValueError) -> None:
    """Raise ``error("<label>: <key>: <message>")`` for the first problem, if any."""
    if problems:
        key, message = problems[0]
        raise error(f"{label}: {key}: {message}")


def choice(config: dict[str, Any], key: str, allowed: Iterable[str]) -> Problems:
    """An enum option: the message lists what is allowed."""
    options = list(allowed)
    if config.get(key) is not None and config[key] not in options:
        return [(key, f"must be one of {', '.join(options)}, not {config[key]!r}")]
    return []


def whole_number(config: dict[str, Any], key: str, minimum: int = 0) -> Problems:
    """An int ≥ ``minimum``; YAML's ``yes`` (a bool) is not a number."""
    value = config.get(key)
    if value is None:
        return []
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
