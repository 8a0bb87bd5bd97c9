"""Entry point of the SQL pack: registers its modules with PYpeline.

Module classes are imported inside the hook, so a run (which needs only the other hooks)
does not import them at all; and each module keeps SQLAlchemy, pandas, pyarrow, dask and
the drivers inside the functions that need them, so discovery (and ``pype --help``) stays fast.
"""

from __future__ import annotations

from pypeline import BaseModule, hookimpl


@hookimpl
def pypeline_modules() -> list[type[BaseModule]]:
    """The database modules: tDBInput, tDBOutput and tDBRow counterparts."""
    from pypeline_sql.sql_exec import SqlExec
    from pypeline_sql.sql_sink import SqlSink
    from pypeline_sql.sql_source import SqlSource

    return [SqlSource, SqlSink, SqlExec]
