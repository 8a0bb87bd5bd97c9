"""What ``sql_exec`` runs: the ``sql`` option turned into a list of statements, then run.

``sql`` is one statement (kept whole: a ``;`` inside it is the database's business), a list of
statements, or the path of a ``.sql`` file (relative to the working directory), which sqlparse
splits into statements the way psql would, minding quotes, comments and ``$$`` bodies. Every
statement is run as SQLAlchemy ``text()``, so ``:name`` placeholders are bound from ``params``
by the driver; each statement gets the parameters it names.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from pypeline_sql.cancel import Canceller


def statements(sql: Any) -> list[str]:
    """The statements ``sql`` stands for, in order, empty ones left out."""
    if isinstance(sql, list):
        return [str(s).strip() for s in sql if str(s).strip()]
    text = str(sql).strip()
    if is_sql_file(text):
        import sqlparse

        script = Path(text).read_text(encoding="utf-8")
        found = [str(s).strip().rstrip(";").strip() for s in sqlparse.split(script)]
        return [s for s in found if s and not _only_comments(s)]
    return [text] if text else []


def is_sql_file(text: str) -> bool:
    """A single line ending in ``.sql`` is a file to run, not SQL text."""
    return text.lower().endswith(".sql") and "\n" not in text


def _only_comments(statement: str) -> bool:
    import sqlparse

    return not sqlparse.format(statement, strip_comments=True).strip()


def execute(engine: Engine, sql: list[str], params: dict[str, Any], stop: Canceller) -> int:
    """Run every statement in one transaction; return the rows they affected, summed.

    A statement whose driver reports no count (DDL, -1) adds nothing. MySQL/MariaDB commit DDL
    implicitly, so there only the data statements are rolled back when a later one fails.
    ``stop`` can stop the running statement from another thread (a cancelled run).
    """
    import sqlalchemy as sa

    total = 0
    with stop.begin(engine) as conn:
        for statement in sql:
            stop.check()
            clause = sa.text(statement)
            wanted = {name: params[name] for name in clause.compile().params if name in params}
            result = conn.execute(clause, wanted)
            if result.rowcount and result.rowcount > 0:
                total += result.rowcount
            if result.returns_rows:
                result.close()
    return total
