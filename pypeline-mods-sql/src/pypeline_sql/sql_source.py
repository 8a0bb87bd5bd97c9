"""``sql_source``: run a query, or read a table, into a DataFrame (Talend's tDBInput).

Readers live beside it: ``reading`` (pandas mode, streamed through Arrow) and ``reading_dask``
(partitioned). This file is the component's documentation and the glue: checks, engine, errors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pypeline import BaseModule
from pypeline.sdk import checks as sdk_checks
from pypeline_sql import checks, engines
from pypeline_sql.options import PARAMS_OPTION, SCHEMA_OPTION, URL_OPTION

if TYPE_CHECKING:
    from pypeline import RunContext


class SqlSource(BaseModule):
    """Reads rows from a database through SQLAlchemy."""

    NAME = "sql_source"
    TYPE = "source"
    CATEGORY = "Databases"
    DESCRIPTION = """\
Runs a SELECT query, or reads a whole table, and sends the rows on `data` (Talend's tDBInput).

`url` is a SQLAlchemy URL: `sqlite:///data/app.db` (a file, relative to the working directory:
the embedded default, no server), `postgresql+psycopg://user:pw@host:5432/db`,
`mysql+pymysql://user:pw@host:3306/db` (MySQL and MariaDB). Put the password in a secret:
`url: "postgresql+psycopg://etl:{{ secret('env:PG_PASSWORD') }}@db/sales"`. Error messages and
logs show the URL with its password masked.

Give exactly one of `query` (SQL text; `:name` placeholders are bound from `params` by the
driver, never pasted into the text, so a value cannot change the statement) or `table` (every
column of the table; `schema` names its schema). Reading a table lets the dialect type the
values (SQLite dates and booleans come back as dates and booleans); a query returns what the
driver returns.

Pandas mode streams the result `chunksize` rows at a time through a server-side cursor into
Arrow, so a large result costs its size in columnar form, not the driver's buffers (0 fetches
all rows at once). Types: integers int64 (Int64 with nulls), floats float64, booleans bool
(boolean with nulls), text str, decimals Decimal objects, dates date objects, timestamps
datetime64, time-zone aware timestamps (PostgreSQL timestamptz) datetime64 in UTC. MySQL/MariaDB
and SQLite have no time-zone type: sql_sink stores UTC there, and `dtypes: {col: datetimetz}`
reads them back as UTC. `dtypes` maps a column to str, int, float, bool, decimal, date,
datetime or datetimetz.

Dask mode with `index_col` reads in parallel partitions split on that (numeric or timestamp,
ideally indexed) column: `partitions` pieces, or ~256 MiB pieces when 0; each partition opens
its own connection; column types are those of pandas.read_sql, then `dtypes`. Without
`index_col`, dask mode reads as pandas mode does.

A cancelled run (job timeout, Ctrl-C) stops the running query on the server.

Globals: `row_count` (rows read; in dask mode one COUNT(*) on the server).
Errors name the node and the database and say why: cannot reach the database server, bad
credentials, unknown table, unknown column, type mismatch."""
    OUTPUT_PORTS = ["data"]
    GLOBALS = ["row_count"]
    PACKAGES = ["sqlalchemy>=2", "pandas", "pyarrow", "dask[dataframe]"]
    CONFIG_SCHEMA = {
        "required": {"url": URL_OPTION},
        "optional": {
            "query": {
                "type": "str",
                "default": None,
                "description": "SQL to run, with :name placeholders for params "
                "(give query or table, not both).",
            },
            "table": {
                "type": "str",
                "default": None,
                "description": "Table to read whole (give query or table, not both).",
            },
            "schema": SCHEMA_OPTION,
            "params": PARAMS_OPTION,
            "chunksize": {
                "type": "int",
                "default": 100_000,
                "description": "Rows fetched per round trip through a server-side cursor; "
                "0 fetches the whole result at once.",
            },
            "dtypes": {
                "type": "dict",
                "default": {},
                "description": "Column → str, int, float, bool, decimal, date, datetime or "
                "datetimetz (naive values taken as UTC), applied after reading.",
            },
            "index_col": {
                "type": "str",
                "description": "Dask mode: numeric or timestamp column to split the read on.",
            },
            "partitions": {
                "type": "int",
                "default": 0,
                "description": "Dask mode: number of partitions (0: ~256 MiB each).",
            },
        },
    }

    @classmethod
    def check_config(cls, config: dict[str, Any]) -> list[tuple[str, str]]:
        """Refuse a malformed URL, both query and table, bad names, counts and dtypes."""
        return _problems(config)

    async def setup(self, ctx: RunContext) -> None:
        engines.join(ctx.run_id, self)

    async def teardown(self, ctx: RunContext) -> None:
        engines.leave(ctx.run_id, self)

    async def run(self, inputs: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
        """Read off the event loop; publish ``row_count``."""
        from pypeline_sql.cancel import Canceller
        from pypeline_sql.reading import cast, read_pandas

        config = self.config
        url = str(config["url"])
        query, table = config.get("query") or None, config.get("table") or None
        schema, params = config.get("schema") or None, dict(config.get("params") or {})
        index_col = config.get("index_col") or None
        dtypes = dict(config.get("dtypes") or {})
        stop = Canceller(ctx.logger)
        ctx.on_cancel(stop.cancel)
        try:
            engine = engines.engine_for(ctx.run_id, self, url)
            if ctx.execution_mode == "dask" and index_col:
                from pypeline_sql.reading_dask import read_dask

                parts = int(config.get("partitions") or 0)
                args = (engine, query, table, schema, params, index_col, parts, dtypes, stop)
                data, rows = await ctx.executor.run_in_thread(read_dask, *args)
            else:
                chunk = int(config.get("chunksize") or 0)
                args2 = (engine, query, table, schema, params, chunk, stop)
                data = await ctx.executor.run_in_thread(read_pandas, *args2)
                data = cast(data, dtypes)
                rows = len(data)
        except Exception as exc:
            raise stop.failure(self.NAME, ctx.node_id, url, exc) from exc
        ctx.set_global("row_count", rows)
        return {"data": data}


def _problems(config: dict[str, Any]) -> list[tuple[str, str]]:
    from pypeline_sql.reading import DTYPES

    problems = [
        *checks.url(config),
        *checks.one_source(config),
        *checks.name(config, "table"),
        *checks.name(config, "schema"),
        *checks.name(config, "index_col"),
        *checks.params(config),
        *sdk_checks.whole_number(config, "chunksize", 0),
        *sdk_checks.whole_number(config, "partitions", 0),
    ]
    dtypes = config.get("dtypes") or {}
    if not isinstance(dtypes, dict):
        problems.append(("dtypes", "must be a mapping of column → type"))
    else:
        for column, kind in dtypes.items():
            if kind not in DTYPES:
                allowed = ", ".join(DTYPES)
                problems.append(("dtypes", f"{column}: unknown type {kind!r} ({allowed})"))
    return problems
