"""Each load once per run: the ledger ``_pype_loads`` and MariaDB's staging tables (issue 10, 3c).

The kill tests (``test_resumable_loads``) find the windows by killing processes; these tests
set up, by hand, the states a kill leaves, and check what the next run of the load does: a
load already committed by the same run is not repeated (whatever ``if_exists`` says), another
run's load is; on MariaDB, staging tables nobody holds are dropped, a live load's is kept, a
recorded one still there is loaded again and one renamed into place is done.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest
import sqlalchemy as sa

from pypeline_sql.sql_sink import SqlSink

from .conftest import MYSQL_URL, PG_URL, drop, new_name, sql

MODES = ["append", "fail", "replace", "truncate", "upsert"]


def rows(*ids: int) -> pd.DataFrame:
    return pd.DataFrame({"id": list(ids), "name": [f"n{i}" for i in ids]})


def sink(run_sql: Any, url: str, table: str, data: pd.DataFrame, run_id: str, mode: str) -> Any:
    options = {"upsert_keys": ["id"]} if mode == "upsert" else {"if_exists": mode}
    config = {"url": url, "table": table, **options}
    return run_sql(SqlSink, config, {"input": data}, run_id=run_id)


def ids_in(url: str, table: str) -> list[int]:
    return [int(i) for (i,) in sql(url, f"SELECT id FROM {table} ORDER BY id")]


@pytest.mark.parametrize("mode", MODES)
def test_the_same_run_does_not_load_twice(db: str, table: str, run_sql: Any, mode: str) -> None:
    run_id = uuid.uuid4().hex
    sink(run_sql, db, table, rows(1, 2, 3), run_id, mode)
    again = sink(run_sql, db, table, rows(1, 2, 3), run_id, mode)  # a resumed run re-runs it
    assert ids_in(db, table) == [1, 2, 3]  # not doubled; fail did not refuse its own table
    assert again.globals["row_count"] == 3  # what the committed load wrote
    assert any("already loaded its 3 row(s)" in line for line in again.logs), again.logs


def test_another_run_loads_again(db: str, table: str, run_sql: Any) -> None:
    sink(run_sql, db, table, rows(1, 2), uuid.uuid4().hex, "append")
    sink(run_sql, db, table, rows(1, 2), uuid.uuid4().hex, "append")
    assert ids_in(db, table) == [1, 1, 2, 2]


def test_another_run_meets_fail(db: str, table: str, run_sql: Any) -> None:
    from pypeline_sql.errors import SqlModuleError

    sink(run_sql, db, table, rows(1), uuid.uuid4().hex, "fail")
    with pytest.raises(SqlModuleError, match="already exists"):
        sink(run_sql, db, table, rows(2), uuid.uuid4().hex, "fail")
    assert ids_in(db, table) == [1]


# -- MariaDB: staging tables ------------------------------------------------------------------


@pytest.fixture
def my_table() -> Iterator[str]:
    """A fresh MariaDB table name; the table and its staging tables dropped afterwards."""
    name = new_name()
    yield name
    drop(MYSQL_URL, name, *stage_tables(name))


def _engine() -> sa.Engine:
    return sa.create_engine(MYSQL_URL)


def stage_tables(table: str) -> list[str]:
    engine = _engine()
    try:
        names = sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()
    return sorted(name for name in names if name.startswith(f"_pype_stage_{table}_"))


def test_staging_tables_nobody_holds_are_dropped_and_a_live_one_kept(
    my_table: str, run_sql: Any
) -> None:
    dead, live = f"_pype_stage_{my_table}_deadbeef", f"_pype_stage_{my_table}_0badf00d"
    sql(MYSQL_URL, f"CREATE TABLE {dead} (id INTEGER)")
    sql(MYSQL_URL, f"CREATE TABLE {live} (id INTEGER)")
    engine = _engine()
    try:
        with engine.connect() as holder:  # another load, still running, holds its table
            assert holder.exec_driver_sql(f"SELECT GET_LOCK('{live}', 0)").scalar() == 1
            sink(run_sql, MYSQL_URL, my_table, rows(1, 2), uuid.uuid4().hex, "replace")
            assert stage_tables(my_table) == [live]
            holder.invalidate()  # its process dies: the server ends the session and its locks
        sink(run_sql, MYSQL_URL, my_table, rows(3), uuid.uuid4().hex, "replace")
        assert stage_tables(my_table) == []
        assert ids_in(MYSQL_URL, my_table) == [3]
    finally:
        engine.dispose()


def recorded(table: str, staging: str) -> None:
    """The state of a load killed after its commit: the record names its staging table."""
    sql(MYSQL_URL, "UPDATE _pype_loads SET staging = :s WHERE target = :t", s=staging, t=table)


def test_a_load_killed_before_its_rename_is_loaded_again(my_table: str, run_sql: Any) -> None:
    run_id = uuid.uuid4().hex
    sink(run_sql, MYSQL_URL, my_table, rows(1), run_id, "fail")
    sql(MYSQL_URL, f"DROP TABLE {my_table}")  # never renamed into place...
    stage = f"_pype_stage_{my_table}_12345678"
    sql(MYSQL_URL, f"CREATE TABLE {stage} (id INTEGER, name TEXT)")  # ...still under its name
    recorded(my_table, stage)
    again = sink(run_sql, MYSQL_URL, my_table, rows(1, 2), run_id, "fail")
    assert again.globals["row_count"] == 2
    assert ids_in(MYSQL_URL, my_table) == [1, 2]
    assert stage_tables(my_table) == []


def test_a_load_killed_after_its_rename_is_done(my_table: str, run_sql: Any) -> None:
    run_id = uuid.uuid4().hex
    sink(run_sql, MYSQL_URL, my_table, rows(1, 2), run_id, "replace")
    recorded(my_table, f"_pype_stage_{my_table}_12345678")  # renamed, record not yet cleared
    old = f"_pype_stage_{my_table}_9abcdef0"
    sql(MYSQL_URL, f"CREATE TABLE {old} (id INTEGER)")  # the replaced table, not yet dropped
    again = sink(run_sql, MYSQL_URL, my_table, rows(7), run_id, "replace")
    assert again.globals["row_count"] == 2
    assert ids_in(MYSQL_URL, my_table) == [1, 2]
    assert stage_tables(my_table) == []


# -- a user who may not write the ledger --------------------------------------------------------


def test_a_user_who_cannot_write_the_ledger_still_loads(pg_table: str, run_sql: Any) -> None:
    sink(run_sql, PG_URL, pg_table, rows(1), uuid.uuid4().hex, "append")  # the ledger exists
    role = "pype_limited"
    create = f"CREATE ROLE {role} LOGIN; EXCEPTION WHEN duplicate_object THEN NULL;"
    sql(PG_URL, f"DO $$ BEGIN {create} END $$")
    sql(PG_URL, f"GRANT SELECT, INSERT ON {pg_table} TO {role}")
    limited = PG_URL.replace("postgres@", f"{role}@")
    try:
        result = sink(run_sql, limited, pg_table, rows(2), uuid.uuid4().hex, "append")
        assert ids_in(PG_URL, pg_table) == [1, 2]
        warning = "cannot keep the load ledger _pype_loads"
        assert any(warning in line and "may load twice" in line for line in result.logs)
    finally:
        sql(PG_URL, f"DROP OWNED BY {role}")
        sql(PG_URL, f"DROP ROLE {role}")


def test_a_key_of_zero_is_a_key(db: str, table: str, run_sql: Any) -> None:
    """A new table's key is never AUTO_INCREMENT (MariaDB turned an inserted 0 into 1)."""
    sink(run_sql, db, table, rows(0, 1, 2), uuid.uuid4().hex, "upsert")
    assert ids_in(db, table) == [0, 1, 2]
