"""Checks of option values shared by the SQL modules, at build time and again at run time.

``check_config`` gets the literal values only (a value holding a template is rendered at run
time), so every helper skips an absent key; the modules run the same checks on the rendered
config before touching a database, where ``refuse`` raises the first problem. Refusing
``if_exists: overwrite`` in ``pype validate`` beats failing after an hour of upstream work.
"""

from __future__ import annotations

from typing import Any

from pypeline.sdk.checks import Problems, choice, whole_number
from pypeline.sdk.checks import column_names as names
from pypeline_sql.errors import SqlModuleError

__all__ = ["Problems", "choice", "names", "one_source", "params", "refuse", "url", "whole_number"]


def refuse(module: str, node_id: str, problems: Problems) -> None:
    """At run time, fail on the first problem (a templated value escaped the build check)."""
    if problems:
        key, message = problems[0]
        raise SqlModuleError(f"{module} {node_id}: {key}: {message}")


def url(config: dict[str, Any]) -> Problems:
    """A URL SQLAlchemy can parse. The value is never echoed: it may hold a password."""
    if "url" not in config:
        return []
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    value = config["url"]
    if not isinstance(value, str) or not value.strip():
        return [("url", "must be a database URL such as sqlite:///data.db")]
    try:
        make_url(value)
    except ArgumentError:
        return [("url", "is not a database URL (dialect+driver://user:password@host/db)")]
    return []


def name(config: dict[str, Any], key: str) -> Problems:
    """A table or schema name: quoted by SQLAlchemy, so any text but an empty one is fine."""
    if key in config and config[key] is not None:
        value = config[key]
        if not isinstance(value, str) or not value.strip():
            return [(key, f"must be a non-empty name, got {value!r}")]
    return []


def params(config: dict[str, Any]) -> Problems:
    """Bound parameters: a mapping of ``:name`` → value."""
    value = config.get("params")
    if value is not None and not isinstance(value, dict):
        return [("params", f"must be a mapping of name → value, got {type(value).__name__}")]
    if isinstance(value, dict):
        bad = [k for k in value if not (isinstance(k, str) and k.isidentifier())]
        if bad:
            return [("params", f"names must be identifiers (used as :name), got {bad[0]!r}")]
    return []


def one_source(config: dict[str, Any], run_time: bool) -> Problems:
    """Exactly one of ``query`` and ``table``.

    At build time an absent key may be a templated one (``check_config`` sees literals only), so
    "neither" is refused only at run time; "both" is refused as soon as both are written.
    """
    given = [k for k in ("query", "table") if config.get(k) not in (None, "")]
    if len(given) == 2:
        return [("query", "give either query or table, not both")]
    if not given and run_time:
        return [("query", "give a query (SQL text) or a table to read")]
    return []
