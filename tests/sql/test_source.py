"""sql_source: bound parameters, dtypes, dask partitions, build-time checks."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from pypeline_sql.errors import SqlModuleError
from pypeline_sql.sql_exec import SqlExec
from pypeline_sql.sql_sink import SqlSink
from pypeline_sql.sql_source import SqlSource

from .conftest import sql

INJECTION = "x'; DROP TABLE {t}; --"


def test_an_injection_through_params_is_stored_and_matched_as_plain_text(
    db: str, table: str, run_sql: Any
) -> None:
    evil = INJECTION.format(t=table)
    run_sql(SqlSink, {"url": db, "table": table}, {"input": pd.DataFrame({"name": ["Ada"]})})
    insert = f"INSERT INTO {table} (name) VALUES (:name)"
    run_sql(SqlExec, {"url": db, "sql": insert, "params": {"name": evil}})
    query = f"SELECT name FROM {table} WHERE name = :name"
    found = run_sql(SqlSource, {"url": db, "query": query, "params": {"name": evil}})
    assert list(found.frame()["name"]) == [evil]
    assert sorted(r[0] for r in sql(db, f"SELECT name FROM {table}")) == sorted(["Ada", evil])
    nothing = run_sql(SqlSource, {"url": db, "query": query, "params": {"name": "' OR '1'='1"}})
    assert len(nothing.frame()) == 0


def test_dtypes_cast_columns_after_reading(db: str, table: str, run_sql: Any) -> None:
    data = pd.DataFrame({"n": ["1", "2"], "when": ["2024-01-01 10:00:00", "2024-06-01 00:00:00"]})
    run_sql(SqlSink, {"url": db, "table": table}, {"input": data})
    dtypes = {"n": "int", "when": "datetimetz"}
    read = run_sql(SqlSource, {"url": db, "table": table, "dtypes": dtypes}).frame()
    assert str(read["n"].dtype) == "Int64" and list(read["n"]) == [1, 2]
    assert read["when"].iloc[0] == pd.Timestamp("2024-01-01 10:00:00", tz="UTC")


def test_a_dtype_that_does_not_fit_names_the_column(db: str, table: str, run_sql: Any) -> None:
    run_sql(SqlSink, {"url": db, "table": table}, {"input": pd.DataFrame({"n": ["one"]})})
    with pytest.raises(SqlModuleError, match="type mismatch on .*: cannot read column .n. as int"):
        run_sql(SqlSource, {"url": db, "table": table, "dtypes": {"n": "int"}})


def test_dask_mode_reads_in_partitions_split_on_index_col(
    pg: str, pg_table: str, run_sql: Any
) -> None:
    data = pd.DataFrame({"id": range(1, 101), "group": ["a", "b"] * 50})
    run_sql(SqlSink, {"url": pg, "table": pg_table}, {"input": data})
    query = f'SELECT id, "group" FROM {pg_table} WHERE "group" = :g'
    for source in ({"table": pg_table}, {"query": query, "params": {"g": "a"}}):
        config = {"url": pg, **source, "index_col": "id", "partitions": 4}
        config["dtypes"] = {"id": "float"}
        read = run_sql(SqlSource, config, mode="dask")
        frame = read.outputs["data"]
        assert frame.npartitions == 4
        got = frame.compute().sort_values("id")
        want = data if "table" in source else data[data.group == "a"]
        assert list(got["id"]) == list(want["id"]) and list(got.columns) == ["id", "group"]
        assert str(got["id"].dtype) == "float64"
        assert read.globals["row_count"] == len(want)


def test_dask_mode_without_index_col_reads_like_pandas(db: str, table: str, run_sql: Any) -> None:
    run_sql(SqlSink, {"url": db, "table": table}, {"input": pd.DataFrame({"a": [1, 2]})})
    read = run_sql(SqlSource, {"url": db, "table": table}, mode="dask")
    assert list(read.frame()["a"]) == [1, 2] and read.globals["row_count"] == 2


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"url": "sqlite:///x.db", "query": "SELECT 1", "table": "t"}, "not both"),
        ({"url": "not a url", "table": "t"}, "is not a database URL"),
        ({"url": "sqlite:///x.db", "table": "t", "chunksize": -1}, "must be 0 or more, not -1"),
        ({"url": "sqlite:///x.db", "table": "t", "dtypes": {"a": "money"}}, "unknown type"),
        ({"url": "sqlite:///x.db", "table": "t", "params": {"a b": 1}}, "must be identifiers"),
    ],
)
def test_check_config_refuses_bad_literal_values(config: dict[str, Any], message: str) -> None:
    problems = SqlSource.check_config(config)
    assert any(message in text for _key, text in problems), problems


def test_neither_query_nor_table_is_refused_once_both_are_known(tmp_path: Any) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    assert SqlSource.check_config({"url": url}) == []  # the build: a templated one is absent
    rendered = {"url": url, "query": "", "table": None}  # the engine: defaults, then rendered
    assert SqlSource.check_config(rendered) == [
        ("query", "give a query (SQL text) or a table to read")
    ]


def test_chunks_that_change_type_are_widened_not_lost(tmp_path: Any, run_sql: Any) -> None:
    """SQLite types per value: a column may be null, then integers, then text, across chunks."""
    url = f"sqlite:///{tmp_path / 'mixed.db'}"
    statements = [
        "CREATE TABLE m (id INTEGER, late INTEGER, num NUMERIC, mixed)",
        "INSERT INTO m VALUES (1, NULL, 1, 1), (2, NULL, 2.5, 2), (3, 7, 1e10, 'three')",
        "INSERT INTO m VALUES (4, 8, 4, 4.5), (5, NULL, NULL, NULL)",
    ]
    run_sql(SqlExec, {"url": url, "sql": statements})
    for chunksize in (0, 1, 2):
        query = "SELECT * FROM m ORDER BY id"
        data = run_sql(SqlSource, {"url": url, "query": query, "chunksize": chunksize}).frame()
        assert str(data["late"].dtype) == "Int64"
        assert list(data["late"].astype(object).where(data["late"].notna(), None)) == [
            None,
            None,
            7,
            8,
            None,
        ]
        assert list(data["num"].fillna(-1)) == [1.0, 2.5, 1e10, 4.0, -1]
        assert list(data["mixed"]) == [1, 2, "three", 4.5, None]


def test_values_arrow_cannot_hold_stay_python_objects(pg: str, pg_table: str, run_sql: Any) -> None:
    import uuid

    ids = [uuid.uuid4() for _ in range(3)]
    sql(pg, f"CREATE TABLE {pg_table} (id UUID, doc JSONB, tags TEXT[])")
    for i, key in enumerate(ids):
        sql(
            pg,
            f"INSERT INTO {pg_table} VALUES (:id, CAST(:doc AS JSONB), :tags)",
            id=key,
            doc=f'{{"a": {i}}}' if i else '{"b": [1, 2]}',
            tags=["x"] * i,
        )
    query = f"SELECT * FROM {pg_table}"
    data = run_sql(SqlSource, {"url": pg, "query": query, "chunksize": 1}).frame()
    assert list(data["id"]) == ids
    assert list(data["doc"]) == [{"b": [1, 2]}, {"a": 1}, {"a": 2}]
    assert list(data["tags"]) == [[], ["x"], ["x", "x"]]
