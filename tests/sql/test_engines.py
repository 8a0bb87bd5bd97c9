"""One engine per URL per run, shared by the run's modules, disposed when the last one leaves."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pypeline_sql import engines

from .conftest import PG_URL, sql


class Member:
    """Stands for a module instance: the registry only counts identities."""


def test_modules_of_a_run_share_one_engine_per_url(tmp_path: Path) -> None:
    first, second = Member(), Member()
    url = f"sqlite:///{tmp_path / 'a.db'}"
    engines.join("run-1", first)
    engines.join("run-1", second)
    shared = engines.engine_for("run-1", first, url)
    assert engines.engine_for("run-1", second, url) is shared
    assert engines.engine_for("run-2", second, url) is not shared  # another run, its own
    assert engines.open_runs() == {"run-1": 1, "run-2": 1}
    engines.leave("run-1", first)
    assert engines.open_runs() == {"run-1": 1, "run-2": 1}  # second still uses it
    engines.leave("run-1", second)
    engines.leave("run-2", second)
    assert engines.open_runs() == {}


def test_a_bare_postgresql_url_uses_psycopg_3(run_sql: Any) -> None:
    from pypeline_sql.sql_source import SqlSource

    bare = PG_URL.replace("postgresql+psycopg://", "postgresql://")
    data = run_sql(SqlSource, {"url": bare, "query": "SELECT 1 AS one"}).frame()
    assert list(data["one"]) == [1]


def test_a_postgresql_schema_is_honoured(pg: str, run_sql: Any) -> None:
    import uuid

    import pandas as pd

    from pypeline_sql.sql_sink import SqlSink
    from pypeline_sql.sql_source import SqlSource

    schema = f"s_{uuid.uuid4().hex[:10]}"
    sql(pg, f"CREATE SCHEMA {schema}")
    try:
        target = {"url": pg, "table": "people", "schema": schema}
        run_sql(SqlSink, target, {"input": pd.DataFrame({"id": [1, 2]})})
        run_sql(SqlSink, {**target, "upsert_keys": []}, {"input": pd.DataFrame({"id": [3]})})
        assert sql(pg, f"SELECT id FROM {schema}.people ORDER BY id") == [(1,), (2,), (3,)]
        back = run_sql(SqlSource, {"url": pg, "table": "people", "schema": schema}).frame()
        assert sorted(back["id"]) == [1, 2, 3]
    finally:
        sql(pg, f"DROP SCHEMA {schema} CASCADE")
