"""Checks of option values only SQL modules take, in the form of ``pypeline.sdk.checks``.

The modules' ``check_config`` combines these with the SDK's: the build runs it on the literal
values (so ``pype validate`` refuses ``if_exists: overwrite`` before an hour of upstream work),
the engine on the rendered ones before ``run``. A key absent from ``config`` is a template the
build cannot see, so every check skips it.
"""

from __future__ import annotations

from typing import Any

from pypeline.sdk.checks import Problems, given


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


def one_source(config: dict[str, Any]) -> Problems:
    """Exactly one of ``query`` and ``table`` (both default to null, see ``checks.given``)."""
    if all(config.get(k) not in (None, "") for k in ("query", "table")):
        return [("query", "give either query or table, not both")]
    return given(config, ("query", "table"), "give a query (SQL text) or a table to read")
