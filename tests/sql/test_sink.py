"""sql_sink's contract on every database: if_exists, upserts, all-or-nothing writes."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from pypeline_sql.errors import SqlModuleError
from pypeline_sql.sql_sink import SqlSink

from .conftest import sql


def people(*rows: tuple[int, str, float]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["id", "name", "score"])


def content(url: str, table: str) -> list[tuple[Any, ...]]:
    rows = sql(url, f"SELECT id, name, score FROM {table} ORDER BY id")
    return [(int(i), n, float(s)) for i, n, s in rows]


def sink(run_sql: Any, url: str, table: str, data: pd.DataFrame, **options: Any) -> Any:
    return run_sql(SqlSink, {"url": url, "table": table, **options}, {"input": data})


def test_append_adds_rows_and_creates_a_missing_table(db: str, table: str, run_sql: Any) -> None:
    sink(run_sql, db, table, people((1, "Ada", 1.5)))
    result = sink(run_sql, db, table, people((2, "Grace", 2.5), (3, "Linus", 3.5)))
    assert result.globals["row_count"] == 2
    assert content(db, table) == [(1, "Ada", 1.5), (2, "Grace", 2.5), (3, "Linus", 3.5)]


@pytest.mark.parametrize("mode", ["replace", "truncate"])
def test_replace_and_truncate_leave_only_the_new_rows(
    db: str, table: str, run_sql: Any, mode: str
) -> None:
    sink(run_sql, db, table, people((1, "Ada", 1.5), (2, "Grace", 2.5)))
    sink(run_sql, db, table, people((3, "Linus", 3.5)), if_exists=mode)
    assert content(db, table) == [(3, "Linus", 3.5)]


def test_replace_takes_the_new_frames_columns(db: str, table: str, run_sql: Any) -> None:
    sink(run_sql, db, table, people((1, "Ada", 1.5)))
    sink(run_sql, db, table, pd.DataFrame({"other": ["x"]}), if_exists="replace")
    assert sql(db, f"SELECT * FROM {table}") == [("x",)]


def test_fail_refuses_an_existing_table_and_keeps_it(db: str, table: str, run_sql: Any) -> None:
    sink(run_sql, db, table, people((1, "Ada", 1.5)))
    with pytest.raises(SqlModuleError, match=f"table '{table}' already exists"):
        sink(run_sql, db, table, people((2, "Grace", 2.5)), if_exists="fail")
    assert content(db, table) == [(1, "Ada", 1.5)]


def test_upsert_updates_matching_rows_and_inserts_the_others(
    db: str, table: str, run_sql: Any
) -> None:
    sink(run_sql, db, table, people((1, "Ada", 1.5), (2, "Grace", 2.5)), upsert_keys=["id"])
    changes = people((2, "Grace H.", 9.0), (3, "Linus", 3.5), (3, "Linus T.", 4.5))
    result = sink(run_sql, db, table, changes, upsert_keys=["id"])
    assert result.globals["row_count"] == 2  # key 3 twice: its last row wins
    assert content(db, table) == [(1, "Ada", 1.5), (2, "Grace H.", 9.0), (3, "Linus T.", 4.5)]


def test_upsert_on_two_keys_with_only_key_columns(db: str, table: str, run_sql: Any) -> None:
    pairs = pd.DataFrame({"a": ["x", "x"], "b": [1, 2]})
    sink(run_sql, db, table, pairs, upsert_keys=["a", "b"])
    sink(run_sql, db, table, pd.DataFrame({"a": ["x", "y"], "b": [2, 2]}), upsert_keys=["a", "b"])
    assert sorted(sql(db, f"SELECT a, b FROM {table}")) == [("x", 1), ("x", 2), ("y", 2)]


def test_upsert_into_a_table_without_a_unique_key_is_refused(
    db: str, table: str, run_sql: Any
) -> None:
    sink(run_sql, db, table, people((1, "Ada", 1.5)))
    with pytest.raises(SqlModuleError, match=r"upsert_keys \(id\) need a primary key or unique"):
        sink(run_sql, db, table, people((1, "Ada", 2.0)), upsert_keys=["id"])
    assert content(db, table) == [(1, "Ada", 1.5)]


def test_a_failure_half_way_leaves_the_table_as_it_was(db: str, table: str, run_sql: Any) -> None:
    sink(run_sql, db, table, people((1, "Ada", 1.5)), upsert_keys=["id"])
    before = content(db, table)
    rows = [(i, f"n{i}", float(i)) for i in range(2, 40)] + [(1, "duplicate key", 0.0)]
    with pytest.raises(SqlModuleError, match="constraint violation"):
        sink(run_sql, db, table, people(*rows), batch_size=5)  # 7 batches in before the failure
    assert content(db, table) == before


def test_a_failed_truncate_keeps_the_old_rows(db: str, table: str, run_sql: Any) -> None:
    sink(run_sql, db, table, people((1, "Ada", 1.5)), upsert_keys=["id"])
    duplicate = people(*[(i, "x", 0.0) for i in (5, 6, 7, 5)])  # the old primary key refuses
    with pytest.raises(SqlModuleError, match="constraint violation"):
        sink(run_sql, db, table, duplicate, if_exists="truncate", batch_size=1)
    assert content(db, table) == [(1, "Ada", 1.5)]


# A value the database refuses once the new table exists: PostgreSQL text cannot hold NUL,
# MariaDB's DOUBLE cannot hold infinity. (SQLite refuses neither; its replace is the same single
# transaction as PostgreSQL's.)
REFUSED = {"postgresql": (7, "nul\x00byte", 0.0), "mysql": (7, "inf", float("inf"))}


@pytest.mark.parametrize("kind", sorted(REFUSED))
def test_a_failed_replace_keeps_the_old_table(kind: str, tmp_path: Any, run_sql: Any) -> None:
    from .conftest import drop, new_name, url_of

    url, table = url_of(kind, tmp_path), new_name()
    try:
        sink(run_sql, url, table, people((1, "Ada", 1.5)), upsert_keys=["id"])
        bad = people(*[(i, "fine", 1.0) for i in range(2, 7)], REFUSED[kind])
        with pytest.raises(SqlModuleError):
            sink(run_sql, url, table, bad, if_exists="replace", batch_size=2)
        assert content(url, table) == [(1, "Ada", 1.5)]
        assert [t for t in _tables(url) if t.startswith(f"_pype_stage_{table}")] == []
        sink(run_sql, url, table, people((1, "Ada", 2.5)), upsert_keys=["id"])  # key kept
        assert content(url, table) == [(1, "Ada", 2.5)]
    finally:
        drop(url, table)


def _tables(url: str) -> set[str]:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_a_column_missing_from_the_table_is_named(db: str, table: str, run_sql: Any) -> None:
    sink(run_sql, db, table, people((1, "Ada", 1.5)))
    extra = people((2, "Grace", 2.5)).assign(city="Paris")
    with pytest.raises(SqlModuleError) as error:
        sink(run_sql, db, table, extra)
    assert "unknown column on " in str(error.value)
    assert f"'city' is not a column of table '{table}' (its columns: id, name, score)" in str(
        error.value
    )
    assert content(db, table) == [(1, "Ada", 1.5)]


def test_an_empty_frame_writes_nothing_but_creates_the_table(
    db: str, table: str, run_sql: Any
) -> None:
    result = sink(run_sql, db, table, people())
    assert result.globals["row_count"] == 0
    assert sql(db, f"SELECT COUNT(*) FROM {table}") == [(0,)]
