"""``sql_sink``: write the incoming rows to a database table (Talend's tDBOutput).

The write itself is in ``writing`` (transactions, ``if_exists``, upserts), ``table_schema``
(frame → Arrow → column types) and ``pg_copy`` (PostgreSQL's COPY).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pypeline import BaseModule
from pypeline.sdk import checks as sdk_checks
from pypeline_sql import checks, engines
from pypeline_sql.options import SCHEMA_OPTION, URL_OPTION
from pypeline_sql.write_steps import IF_EXISTS

if TYPE_CHECKING:
    import pyarrow as pa

    from pypeline import RunContext
    from pypeline_sql.write_steps import Target


class SqlSink(BaseModule):
    """Writes a DataFrame to a table through SQLAlchemy."""

    NAME = "sql_sink"
    TYPE = "sink"
    CATEGORY = "Databases"
    DESCRIPTION = """\
Writes the rows arriving on `input` into a database table (Talend's tDBOutput).

`url` is a SQLAlchemy URL (see sql_source): SQLite file, PostgreSQL (psycopg) or MySQL/MariaDB
(PyMySQL); the password is masked in every message. `table` (and `schema`) name the target.

The whole write is one transaction: if anything fails half-way (a bad value, a duplicate key,
a lost connection, the process killed), the table is left exactly as it was. On MySQL/MariaDB,
where DDL commits by itself, a new table (missing target, `replace`) is loaded under a staging
name (`_pype_stage_<table>_<hex>`) and renamed into place with one RENAME; staging tables a
killed load left behind are dropped by the next load of that table.

Each load happens once per run: the sink records it in a small table `_pype_loads` (in the
target's schema), in the load's own transaction. A resumed run that re-runs a sink whose load
had committed before the kill finds its record and loads nothing (`row_count` is the rows
loaded then); so `append` never doubles rows and `fail` never refuses the table its own run
created. A cancelled run (job timeout, Ctrl-C) stops the running statement on the server.

`if_exists` says what to do with an existing table: `append` (default) adds the rows, `replace`
drops and recreates it from the frame, `truncate` empties it first (keeping its definition,
grants and indexes), `fail` stops with an error. A missing table is created from the frame:
integers, floats, decimals (precision and scale from the data), text, booleans, dates, times,
timestamps (PostgreSQL timestamptz for time-zone aware ones; UTC DATETIME on MySQL/MariaDB and
SQLite, which have no time-zone type), binary, JSON for lists and dicts. The frame's index is
not written; the frame's columns must all exist in an existing table.

`upsert_keys` turns inserts into upserts: a row whose keys match an existing row updates it
(PostgreSQL and SQLite `INSERT ... ON CONFLICT (keys) DO UPDATE`, MySQL/MariaDB `ON DUPLICATE KEY
UPDATE`). The keys need a primary key or unique constraint: the sink makes them the primary key
of a table it creates, and checks an existing table has one. When the input repeats a key, its
last row wins.

PostgreSQL loads through COPY (psycopg 3's copy API), many times faster than INSERTs; the other
databases take batched INSERTs of `batch_size` rows, which is also COPY's unit of sending.

Globals: `row_count` (rows written). Errors name the node, the database and the cause: cannot
reach the database server, bad credentials, unknown table or column, type mismatch."""
    INPUT_PORTS = ["input"]
    GLOBALS = ["row_count"]
    PACKAGES = ["sqlalchemy>=2", "pandas", "pyarrow", "psycopg[binary] (PostgreSQL)"]
    DASK = False
    CONFIG_SCHEMA = {
        "required": {
            "url": URL_OPTION,
            "table": {"type": "str", "description": "Table to write (created when missing)."},
        },
        "optional": {
            "schema": SCHEMA_OPTION,
            "if_exists": {
                "type": "str",
                "default": "append",
                "description": "When the table exists: append, replace (drop and recreate), "
                "truncate (empty it first) or fail.",
            },
            "upsert_keys": {
                "type": "list",
                "default": [],
                "description": "Key columns: rows matching an existing row's keys update it "
                "(needs a primary key or unique constraint on them).",
            },
            "batch_size": {
                "type": "int",
                "default": 10_000,
                "description": "Rows per INSERT batch (per COPY chunk on PostgreSQL).",
            },
        },
    }

    @classmethod
    def check_config(cls, config: dict[str, Any]) -> list[tuple[str, str]]:
        """Refuse a malformed URL, an unknown if_exists, bad keys and batch sizes."""
        return [
            *checks.url(config),
            *checks.name(config, "table"),
            *checks.name(config, "schema"),
            *sdk_checks.choice(config, "if_exists", IF_EXISTS),
            *sdk_checks.column_names(config, "upsert_keys"),
            *sdk_checks.whole_number(config, "batch_size", 1),
        ]

    async def setup(self, ctx: RunContext) -> None:
        engines.join(ctx.run_id, self)

    async def teardown(self, ctx: RunContext) -> None:
        engines.leave(ctx.run_id, self)

    async def run(self, inputs: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
        """Prepare the rows and write them off the event loop; publish ``row_count``."""
        from pypeline_sql.cancel import Canceller
        from pypeline_sql.ledger import Load
        from pypeline_sql.write_steps import Target
        from pypeline_sql.writing import write

        config = self.config
        url = str(config["url"])
        target = Target(
            table=str(config["table"]),
            schema=config.get("schema") or None,
            if_exists=str(config.get("if_exists") or "append"),
            keys=list(config.get("upsert_keys") or []),
            batch_size=int(config.get("batch_size") or 10_000),
            load=Load(ctx.job, ctx.node_id, ctx.run_id),
        )
        stop = Canceller(ctx.logger)
        ctx.on_cancel(stop.cancel)
        try:
            engine = engines.engine_for(ctx.run_id, self, url)
            data = await ctx.executor.run_in_thread(
                _prepare, inputs["input"], target, engine.dialect.name, ctx
            )
            rows = await ctx.executor.run_in_thread(write, engine, data, target, stop, ctx.logger)
        except Exception as exc:
            raise stop.failure(self.NAME, ctx.node_id, url, exc) from exc
        ctx.set_global("row_count", rows)
        return {}


def _prepare(artifact: Any, target: Target, backend: str, ctx: RunContext) -> pa.Table:
    """The input as Arrow: keys checked and de-duplicated (last wins), types made loadable."""
    from pypeline_sql.errors import SqlProblem
    from pypeline_sql.table_schema import to_arrow

    frame = artifact.to_pandas()
    missing = [key for key in target.keys if key not in frame.columns]
    if missing:
        known = ", ".join(map(str, frame.columns))
        raise SqlProblem(
            "unknown column", f"upsert_keys names {missing[0]!r}, not in the input ({known})"
        )
    if target.keys:
        frame = frame.drop_duplicates(subset=target.keys, keep="last")
    data, texted = to_arrow(frame, backend)
    if texted:
        ctx.logger.warning(
            "%s: column(s) %s hold mixed values and are written as text",
            f"{SqlSink.NAME} {ctx.node_id}",
            ", ".join(texted),
        )
    return data
