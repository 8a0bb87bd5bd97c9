"""One-line, password-free errors for the SQL modules.

Drivers and SQLAlchemy put URLs, SQL text and bound parameters in their exception messages, over
several lines. A run log must show none of that (the password least of all), yet it must say
which node failed, on which database and why, in words a user can act on: the server cannot be
reached, the credentials are refused, a table or column does not exist, a value does not fit its
column. ``failure`` turns any exception into that one line; ``describe`` is the only way a URL
is ever shown.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

_SENSITIVE_QUERY = re.compile(r"pass|pwd|secret|token|key", re.IGNORECASE)

# (kind, PostgreSQL SQLSTATE prefixes, MySQL/MariaDB error numbers, message patterns): first
# match wins, so the specific kinds come before the generic ones.
_KINDS: list[tuple[str, tuple[str, ...], tuple[int, ...], str]] = [
    (
        "bad credentials",
        ("28",),
        (1044, 1045, 1698),
        r"password authentication failed|no password supplied|role \".*\" does not exist"
        r"|access denied|authentication failed",
    ),
    (
        "cannot reach the database server",
        ("08",),
        (2002, 2003, 2005, 2006, 2013),
        r"connection refused|could not connect|can't connect|timeout expired|timed out"
        r"|unable to open database file|name or service not known|could not translate host",
    ),
    ("unknown database", ("3D",), (1049,), r"database \".*\" does not exist|unknown database"),
    ("unknown table", ("42P01",), (1146, 1051), r"no such table|doesn't exist|unknown table"),
    ("unknown column", ("42703",), (1054,), r"no such column|has no column named|unknown column"),
    (
        "type mismatch",
        ("22P02", "22003", "22001", "22007", "22008", "42804"),
        (1264, 1265, 1292, 1366, 1406, 1411),
        r"cannot store|datatype mismatch|invalid input syntax|incorrect .* value",
    ),
    ("invalid value", ("22",), (1367, 1416), r"invalid byte sequence|out of range"),
    ("constraint violation", ("23",), (1048, 1062, 1451, 1452), r"constraint failed|duplicate"),
    ("SQL syntax error", ("42601",), (1064,), r"syntax error"),
]


class SqlModuleError(RuntimeError):
    """A SQL module's failure, already worded for the run log: one line, no secret in it."""


class SqlProblem(Exception):
    """A problem the pack itself finds in the database (a table that exists, a missing key):
    ``failure`` words it like a driver's error, with the node and the database."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail


def describe(url: URL | str) -> str:
    """The URL as it may be shown: password, and query values named like one, masked.

    ``URL.render_as_string(hide_password=True)`` masks the password field only; a driver option
    such as ``?password=...`` or ``?sslkey_password=...`` is masked here too. An unparsable URL
    is never echoed (it may hold a password SQLAlchemy could not find), only its scheme.
    """
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url) if isinstance(url, str) else url
    except ArgumentError:
        scheme = re.match(r"([A-Za-z][\w+.-]*)://", str(url))
        return f"<unparsable {scheme.group(1)} URL>" if scheme else "<unparsable URL>"
    query = {k: ("***" if _SENSITIVE_QUERY.search(k) else v) for k, v in parsed.query.items()}
    shown = parsed.set(query=query).render_as_string(hide_password=True)
    return shown.replace("%2A%2A%2A", "***")  # the query's mask, URL-quoted by SQLAlchemy


def failure(module: str, node_id: str, url: URL | str, exc: BaseException) -> SqlModuleError:
    """The one-line error for ``exc`` raised while ``node_id`` worked on ``url``.

    ``<module> <node>: <kind> on <database>: <driver's first line>``, with the password cut out
    of the driver's text too, in case a driver quoted it.
    """
    if isinstance(exc, SqlModuleError):
        return exc
    kind, cause = explain(exc)
    cause = _scrub(cause, url)
    return SqlModuleError(f"{module} {node_id}: {kind} on {describe(url)}: {cause}")


def explain(exc: BaseException) -> tuple[str, str]:
    """``(kind, cause)``: what went wrong in a user's words, and the driver's first line."""
    from sqlalchemy import exc as sa_exc

    if isinstance(exc, SqlProblem):
        return exc.kind, exc.detail
    if isinstance(exc, sa_exc.NoSuchTableError):
        return "unknown table", f"no table named {exc}"
    if isinstance(exc, sa_exc.NoSuchModuleError):
        return "missing database driver", f"{exc} (install the pack's extra, e.g. [postgresql])"
    if isinstance(exc, sa_exc.ArgumentError) and "URL" in str(exc):
        return "invalid URL", "expected dialect+driver://user:password@host:port/database"
    orig: Any = getattr(exc, "orig", None) or exc
    cause = _first_line(orig)
    sqlstate = str(getattr(orig, "sqlstate", None) or "")
    args: tuple[Any, ...] = tuple(getattr(orig, "args", ()) or ())
    errno = args[0] if args and isinstance(args[0], int) else 0
    for kind, states, numbers, _pattern in _KINDS:
        if (sqlstate and sqlstate.startswith(states)) or errno in numbers:
            return kind, cause
    for kind, _states, _numbers, pattern in _KINDS:
        if re.search(pattern, cause, re.IGNORECASE):
            return kind, cause
    return "database error", cause


def _first_line(orig: Any) -> str:
    """The driver's message without SQL text, parameters or hints: its first non-empty line."""
    args: tuple[Any, ...] = tuple(getattr(orig, "args", ()) or ())
    if len(args) >= 2 and isinstance(args[0], int) and isinstance(args[1], str):
        text = args[1]  # PyMySQL: (errno, message)
    else:
        text = str(orig)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    first = lines[0] if lines else type(orig).__name__
    return first.removeprefix("FATAL:").strip()


def _scrub(text: str, url: URL | str) -> str:
    """Mask the password in ``text`` (very short passwords would mask ordinary letters)."""
    from urllib.parse import quote

    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        password = (make_url(url) if isinstance(url, str) else url).password
    except ArgumentError:
        return text
    if password and len(str(password)) >= 3:
        for form in {str(password), quote(str(password), safe="")}:
            text = text.replace(form, "***")
    return text
