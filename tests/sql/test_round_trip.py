"""Rows written by sql_sink come back from sql_source as they were, on every database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pandas as pd
import pytest

from pypeline_sql.sql_sink import SqlSink
from pypeline_sql.sql_source import SqlSource

from .conftest import sql

UTC = dt.UTC
TRICKY = [
    "plain",
    'it\'s "quoted", with a comma',
    "l'été à Zürich ☃ 😀 漢字",
    "",
    "back\\slash, tab\tand\nnewline",
    None,
]


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": [1, 2, 3, 4, 5, 6],
            "qty": pd.array([10, None, -3, 0, 2**40, 7], dtype="Int64"),
            "price": [1.5, None, -2.25, 0.0, 1e10, 3.333],
            "amount": [
                Decimal("1.10"),
                None,
                Decimal("-12345.678"),
                Decimal("0"),
                Decimal("99999999.999"),
                Decimal("0.001"),
            ],
            "label": TRICKY,
            "ok": [True, False, True, True, False, True],
            "day": [dt.date(2024, 1, 1), None, dt.date(2020, 2, 29)] + [dt.date(1999, 12, 31)] * 3,
            "at": pd.to_datetime(
                [
                    "2024-01-01T10:00:00.123456+02:00",
                    None,
                    "2020-06-01T00:00:00Z",
                    "1999-12-31T23:59:59-05:00",
                    "2024-03-31T02:30:00+01:00",
                    "2024-10-27T01:30:00Z",
                ],
                utc=True,
                format="ISO8601",
            ),
        }
    )


def plain(data: pd.DataFrame) -> list[tuple[Any, ...]]:
    """Rows as Python values with every kind of null as None: what a user compares."""
    objects = data.astype(object)
    return list(objects.where(objects.notna(), None).itertuples(index=False, name=None))


def expected() -> list[tuple[Any, ...]]:
    rows = plain(frame())
    return [
        tuple(v.to_pydatetime().astimezone(UTC) if isinstance(v, pd.Timestamp) else v for v in r)
        for r in rows
    ]


def test_round_trip_keeps_values_and_types(db: str, table: str, run_sql: Any) -> None:
    written = run_sql(SqlSink, {"url": db, "table": table}, {"input": frame()})
    assert written.globals["row_count"] == 6

    dtypes = {} if db.startswith("postgresql") else {"at": "datetimetz"}
    read = run_sql(SqlSource, {"url": db, "table": table, "dtypes": dtypes})
    data = read.frame().sort_values("id").reset_index(drop=True)
    assert read.globals["row_count"] == 6
    assert list(data.columns) == list(frame().columns)
    assert str(data["id"].dtype) == "int64"
    assert str(data["qty"].dtype) == "Int64"  # integers with nulls stay integers
    assert str(data["price"].dtype) == "float64"
    assert str(data["ok"].dtype) == "bool"
    assert isinstance(data["at"].dtype, pd.DatetimeTZDtype) and str(data["at"].dt.tz) == "UTC"
    got = [
        tuple(v.to_pydatetime() if isinstance(v, pd.Timestamp) else v for v in r)
        for r in plain(data)
    ]
    assert got == expected()
    assert all(isinstance(v, Decimal) for v in data["amount"].dropna())


def test_query_with_params_reads_the_same_rows_whatever_the_chunksize(
    db: str, table: str, run_sql: Any
) -> None:
    run_sql(SqlSink, {"url": db, "table": table}, {"input": frame()})
    query = f"SELECT id, label FROM {table} WHERE id >= :low ORDER BY id"
    whole = run_sql(SqlSource, {"url": db, "query": query, "params": {"low": 2}, "chunksize": 0})
    chunked = run_sql(SqlSource, {"url": db, "query": query, "params": {"low": 2}, "chunksize": 2})
    assert plain(whole.frame()) == plain(chunked.frame())
    assert plain(chunked.frame()) == [(i, TRICKY[i - 1]) for i in range(2, 7)]
    assert chunked.globals["row_count"] == 5


def test_an_empty_result_is_an_empty_frame_with_the_columns(
    db: str, table: str, run_sql: Any
) -> None:
    run_sql(SqlSink, {"url": db, "table": table}, {"input": frame()})
    query = f"SELECT id, label FROM {table} WHERE id < 0"
    read = run_sql(SqlSource, {"url": db, "query": query})
    assert list(read.frame().columns) == ["id", "label"] and len(read.frame()) == 0
    assert read.globals["row_count"] == 0


def test_postgresql_types_of_a_created_table(pg: str, pg_table: str, run_sql: Any) -> None:
    run_sql(SqlSink, {"url": pg, "table": pg_table}, {"input": frame()})
    types = dict(
        sql(
            pg,
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = :t",
            t=pg_table,
        )
    )
    assert types == {
        "id": "bigint",
        "qty": "bigint",
        "price": "double precision",
        "amount": "numeric",
        "label": "text",
        "ok": "boolean",
        "day": "date",
        "at": "timestamp with time zone",
    }


@pytest.mark.parametrize("kind", ["json", "bytes"])
def test_values_copy_cannot_carry_go_through_inserts_on_postgresql(
    pg: str, pg_table: str, run_sql: Any, kind: str
) -> None:
    values = [{"a": [1, 2]}, {"a": []}] if kind == "json" else [b"\x00\x01", b"\xff"]
    data = pd.DataFrame({"id": [1, 2], "v": values})
    run_sql(SqlSink, {"url": pg, "table": pg_table}, {"input": data})
    back = run_sql(SqlSource, {"url": pg, "table": pg_table}).frame().sort_values("id")
    assert list(back["v"]) == values
