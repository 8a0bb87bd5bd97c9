"""Entry point of the SQL pack: registers its modules with PYpeline.

Module classes are imported here, but each module keeps SQLAlchemy, pandas, pyarrow, dask and
the drivers inside the functions that need them, so discovery (and ``pype --help``) stays fast.
"""

from __future__ import annotations

from pypeline import BaseModule, hookimpl
from pypeline_sql.sql_exec import SqlExec
from pypeline_sql.sql_sink import SqlSink
from pypeline_sql.sql_source import SqlSource


@hookimpl
def pypeline_modules() -> list[type[BaseModule]]:
    """The database modules: tDBInput, tDBOutput and tDBRow counterparts."""
    return [SqlSource, SqlSink, SqlExec]
