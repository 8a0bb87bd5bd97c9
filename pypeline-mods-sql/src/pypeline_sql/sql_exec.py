"""``sql_exec``: run SQL statements for their effect (Talend's tDBRow).

Parsing the ``sql`` option and running it are in ``statements``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from pypeline import BaseModule
from pypeline_sql import checks, engines
from pypeline_sql.errors import SqlModuleError
from pypeline_sql.options import PARAMS_OPTION, URL_OPTION

if TYPE_CHECKING:
    from pypeline import RunContext


class SqlExec(BaseModule):
    """Runs statements (DDL, UPDATE, DELETE, a .sql script) in one transaction."""

    NAME = "sql_exec"
    TYPE = "solo"
    CATEGORY = "Databases"
    DESCRIPTION = """\
Runs SQL statements for their effect: create or drop tables, update or delete rows, call a
procedure, run a .sql script (Talend's tDBRow). Rows a statement returns are discarded: read
with sql_source.

`url` is a SQLAlchemy URL (see sql_source); the password is masked in every message. `sql` is
one statement (kept whole), a list of statements, or the path of a `.sql` file (relative to the
working directory; split into statements minding quotes, comments and $$ bodies). `:name`
placeholders are bound from `params` by the driver, never pasted into the text, so a value
cannot change a statement.

All statements run in one transaction, in order: if one fails, the earlier ones are rolled back
(on MySQL/MariaDB, DDL such as CREATE or DROP commits by itself and cannot be rolled back).
A cancelled run (job timeout, Ctrl-C) stops the running statement on the server and rolls back.

Globals: `rowcount` (rows affected by all statements, as the drivers report them; DDL counts
nothing). Errors name the node, the database and the cause: cannot reach the database server,
bad credentials, unknown table or column, type mismatch, SQL syntax error."""
    GLOBALS = ["rowcount"]
    PACKAGES = ["sqlalchemy>=2", "sqlparse"]
    CONFIG_SCHEMA = {
        "required": {
            "url": URL_OPTION,
            "sql": {
                "type": "any",
                "description": "A statement, a list of statements, or a path ending in .sql.",
            },
        },
        "optional": {"params": PARAMS_OPTION},
    }

    @classmethod
    def check_config(cls, config: dict[str, Any]) -> list[tuple[str, str]]:
        """Refuse a malformed URL, bad params, and ``sql`` that is neither text nor a list."""
        problems = [*checks.url(config), *checks.params(config)]
        sql = config.get("sql")
        if "sql" in config and not (
            (isinstance(sql, str) and sql.strip())
            or (isinstance(sql, list) and sql and all(isinstance(s, str) for s in sql))
        ):
            problems.append(("sql", "must be SQL text, a list of statements or a .sql path"))
        return problems

    async def setup(self, ctx: RunContext) -> None:
        engines.join(ctx.run_id, self)

    async def teardown(self, ctx: RunContext) -> None:
        engines.leave(ctx.run_id, self)

    async def run(self, inputs: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
        """Read the statements and run them off the event loop; publish ``rowcount``."""
        from pypeline_sql.cancel import Canceller
        from pypeline_sql.statements import execute, is_sql_file, statements

        config = self.config
        url, sql = str(config["url"]), config["sql"]
        if isinstance(sql, str) and is_sql_file(sql.strip()) and not Path(sql.strip()).is_file():
            raise SqlModuleError(f"{self.NAME} {ctx.node_id}: SQL file not found: {sql.strip()}")
        params = dict(config.get("params") or {})
        stop = Canceller(ctx.logger)
        ctx.on_cancel(stop.cancel)
        try:
            engine = engines.engine_for(ctx.run_id, self, url)
            todo = await ctx.executor.run_in_thread(statements, sql)
            rowcount = await ctx.executor.run_in_thread(execute, engine, todo, params, stop)
        except Exception as exc:
            raise stop.failure(self.NAME, ctx.node_id, url, exc) from exc
        ctx.logger.info("%s: %d statement(s), %d row(s) affected", self.NAME, len(todo), rowcount)
        ctx.set_global("rowcount", rowcount)
        return {}
