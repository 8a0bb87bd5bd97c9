"""A cancelled run stops the statement on the server (issue 10, item 14).

Each module registers with ``ctx.on_cancel`` how to stop its work; the engine calls that when the
job timeout or Ctrl-C cancels the module's run. Here the module runs in a thread, as in a run,
on a statement that would take 30 s; the test calls the registered callbacks once the statement
is running and expects the module to fail within 2 s with a "cancelled" error, and a sink's
table to be left as it was. The last test is the whole thing through the CLI (``timeout: 5``).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import sqlalchemy as sa

from pypeline.testing import cancel_while_running, only_run_dir, run_pype
from pypeline_sql.errors import SqlModuleError
from pypeline_sql.sql_exec import SqlExec
from pypeline_sql.sql_sink import SqlSink
from pypeline_sql.sql_source import SqlSource

from .conftest import drop, new_name, sql, url_of

# a statement that runs for 30 s (SQLite: forever) on each database
SLOW = {
    "postgresql": "SELECT pg_sleep(30)",
    "mysql": "SELECT SLEEP(30)",
    "sqlite": "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
    "SELECT COUNT(*) FROM n",
}
SLOW_EXEC = {**SLOW, "mysql": "DO SLEEP(30)"}


def kind_of(url: str) -> str:
    return next(kind for kind in SLOW if url.startswith(kind))


def assert_cancelled(elapsed: float, error: BaseException | None, module: str) -> None:
    assert elapsed < 2.0, f"the statement went on for {elapsed:.1f}s after the cancel"
    assert isinstance(error, SqlModuleError), repr(error)
    message = str(error)
    assert message.startswith(f"{module} node: cancelled on "), message
    assert "the statement was stopped (job timeout or interrupt)" in message
    assert "\n" not in message


def test_sql_source_stops_its_query(db: str) -> None:
    config = {"url": db, "query": SLOW[kind_of(db)]}
    elapsed, error = cancel_while_running(SqlSource, config)
    assert_cancelled(elapsed, error, "sql_source")


def test_sql_source_without_a_server_side_cursor_stops_too(db: str) -> None:
    config = {"url": db, "query": SLOW[kind_of(db)], "chunksize": 0}
    elapsed, error = cancel_while_running(SqlSource, config)
    assert_cancelled(elapsed, error, "sql_source")


def test_sql_exec_stops_its_statement_and_rolls_back_the_earlier_ones(db: str, table: str) -> None:
    sql(db, f"CREATE TABLE {table} (id INTEGER)")
    statements = [f"INSERT INTO {table} VALUES (1)", SLOW_EXEC[kind_of(db)]]
    elapsed, error = cancel_while_running(SqlExec, {"url": db, "sql": statements})
    assert_cancelled(elapsed, error, "sql_exec")
    assert sql(db, f"SELECT COUNT(*) FROM {table}") == [(0,)]


def people(ids: range) -> pd.DataFrame:
    return pd.DataFrame({"id": list(ids), "name": [f"n{i}" for i in ids]})


@pytest.mark.parametrize("kind", ["postgresql", "mysql"])
def test_sql_sink_waiting_on_a_lock_stops_and_leaves_the_table(
    kind: str, tmp_path: Path, run_sql: Any
) -> None:
    """Another session holds a row the upsert must change: the load waits until cancelled."""
    url, table = url_of(kind, tmp_path), new_name()
    run_sql(
        SqlSink, {"url": url, "table": table, "upsert_keys": ["id"]}, {"input": people(range(3))}
    )
    holder = sa.create_engine(url)
    try:
        with holder.connect() as blocker:
            blocker.exec_driver_sql(f"UPDATE {table} SET name = 'held' WHERE id = 1")  # row lock
            config = {"url": url, "table": table, "upsert_keys": ["id"], "batch_size": 100}
            elapsed, error = cancel_while_running(SqlSink, config, {"input": people(range(5000))})
            blocker.rollback()
        assert_cancelled(elapsed, error, "sql_sink")
        assert sql(url, f"SELECT COUNT(*) FROM {table}") == [(3,)]
    finally:
        holder.dispose()
        drop(url, table)


def test_sql_sink_stops_between_batches(tmp_path: Path) -> None:
    """SQLite: a long load of small batches stops at the next batch; nothing is written."""
    url = f"sqlite:///{tmp_path / 'big.db'}"
    config = {"url": url, "table": "big", "batch_size": 50}

    def loading() -> None:  # the rollback journal has been there for 0.3 s: the load writes
        journal, deadline, since = tmp_path / "big.db-journal", time.monotonic() + 30, None
        while time.monotonic() < deadline:
            now = time.monotonic()
            since = (since or now) if journal.exists() else None
            if since is not None and now - since > 0.3:
                return
            time.sleep(0.01)

    elapsed, error = cancel_while_running(
        SqlSink, config, {"input": people(range(2_000_000))}, running=loading
    )
    assert_cancelled(elapsed, error, "sql_sink")
    engine = sa.create_engine(url)
    try:
        assert not sa.inspect(engine).has_table("big")  # the one transaction rolled back
    finally:
        engine.dispose()


FLOW = """
flow: {{name: slow_query}}
settings: {{timeout: 5}}
modules:
  - id: wait
    name: sql_source
    configs: {{required: {{url: "{url}"}}, optional: {{query: "{query}"}}}}
  - id: keep
    name: sql_sink
    configs: {{required: {{url: "sqlite:///out.db", table: kept}}}}
connections:
  data: ["wait.data - keep.input"]
"""


@pytest.mark.parametrize("kind", ["postgresql", "mysql"])
def test_the_job_timeout_stops_a_blocking_query(kind: str, tmp_path: Path) -> None:
    flow = tmp_path / "flow.yaml"
    flow.write_text(FLOW.format(url=url_of(kind, tmp_path), query=SLOW[kind]), encoding="utf-8")
    assert run_pype("build", str(flow), "-o", "jobs", cwd=tmp_path).code == 0
    started = time.monotonic()
    result = run_pype("run", "jobs/slow_query", cwd=tmp_path)
    elapsed = time.monotonic() - started
    assert result.code == 1, result.output
    assert elapsed < 20, f"the run took {elapsed:.1f}s under timeout: 5"
    assert "timed out after 5s" in result.output
    summary = (only_run_dir(tmp_path / "jobs" / "slow_query") / "summary.json").read_text()
    nodes = json.loads(summary)["nodes"]
    assert nodes["wait"]["status"] == "failed"
