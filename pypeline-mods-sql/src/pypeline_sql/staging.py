"""MySQL/MariaDB staging tables: named so a later load finds them, owned through a lock.

Where DDL commits by itself, a new table is loaded under a staging name and renamed into place
at the end, so a killed load never leaves a half-filled target. A staging table is
``_pype_stage_<table>_<8 hex>`` (the table name cut to 40 characters: MySQL names stop at 64),
and the session loading it holds the user lock of that name (``GET_LOCK``). The server
releases a session's locks when the session ends, which it does when the client process dies:
so a staging table whose lock can be taken belongs to no live load, and ``sweep`` drops it.
``_pype_stage_`` names are the pack's: do not give a table of your own such a name.

Every function here runs outside a transaction, each statement in its own (DDL commits anyway).
"""

from __future__ import annotations

import re
import uuid
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

PREFIX = "_pype_stage_"
# how long a sweep waits for a staging table's lock: a killed client's session may still be
# rolling its rows back; a live load keeps the lock longer, and its table is left alone
SWEEP_WAIT_S = 5


def name_for(table: str) -> str:
    """A new staging name for a load of ``table``."""
    return f"{PREFIX}{table[:40]}_{uuid.uuid4().hex[:8]}"


def hold(conn: Connection, name: str, wait_s: int = 0) -> bool:
    """Take the lock that marks ``name`` as in use by this session."""
    return bool(_run(conn, "SELECT GET_LOCK(%s, %s)", (name, wait_s)))


def release(conn: Connection, name: str) -> None:
    _run(conn, "SELECT RELEASE_LOCK(%s)", (name,))


def sweep(conn: Connection, schema: str | None, table: str, keep: set[str]) -> list[str]:
    """Drop the staging tables of ``table`` that no live load holds; return their names.

    ``keep``: staging tables a killed load recorded as loaded (its resume renames them).
    """
    import sqlalchemy as sa

    pattern = re.compile(re.escape(f"{PREFIX}{table[:40]}_") + r"[0-9a-f]{8}")
    with conn.begin():
        names = sa.inspect(conn).get_table_names(schema)
    dropped: list[str] = []
    for name in sorted(n for n in names if pattern.fullmatch(n) and n not in keep):
        if not hold(conn, name, SWEEP_WAIT_S):
            continue  # a live load's table
        try:
            drop(conn, schema, name)
            dropped.append(name)
        finally:
            release(conn, name)
    return dropped


def exists(conn: Connection, schema: str | None, name: str) -> bool:
    import sqlalchemy as sa

    with conn.begin():
        return bool(sa.inspect(conn).has_table(name, schema))


def place(conn: Connection, schema: str | None, staging: str, table: str, replace: bool) -> None:
    """Rename the loaded staging table to ``table`` (swapping out the old one when replacing).

    One ``RENAME TABLE`` moves both, atomically; the old table then carries a staging name, so
    if the drop that follows fails or never happens, the next sweep drops it.
    """
    live, new = _qualified(conn, schema, table), _qualified(conn, schema, staging)
    if not replace:
        _run(conn, f"RENAME TABLE {new} TO {live}")
        return
    old = _qualified(conn, schema, name_for(table))
    _run(conn, f"RENAME TABLE {live} TO {old}, {new} TO {live}")
    try:
        _run(conn, f"DROP TABLE IF EXISTS {old}")
    except Exception:  # the load is in place; the next sweep drops the old table
        return


def drop(conn: Connection, schema: str | None, name: str) -> None:
    _run(conn, f"DROP TABLE IF EXISTS {_qualified(conn, schema, name)}")


def _run(conn: Connection, sql: str, params: tuple[object, ...] | None = None) -> object:
    with conn.begin():
        result = conn.exec_driver_sql(sql, params) if params else conn.exec_driver_sql(sql)
        return result.scalar() if result.returns_rows else None


def _qualified(conn: Connection, schema: str | None, name: str) -> str:
    quote = conn.dialect.identifier_preparer
    return (f"{quote.quote_schema(schema)}." if schema else "") + quote.quote(name)
