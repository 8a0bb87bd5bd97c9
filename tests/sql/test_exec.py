"""sql_exec: one statement, a list, a .sql script; bound params; one transaction; rowcount."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pypeline_sql.errors import SqlModuleError
from pypeline_sql.sql_exec import SqlExec

from .conftest import sql


def test_a_list_of_statements_with_params_and_rowcount(db: str, table: str, run_sql: Any) -> None:
    statements = [
        f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, name VARCHAR(50))",
        f"INSERT INTO {table} VALUES (1, :a), (2, :b), (3, :b)",
        f"UPDATE {table} SET name = :new WHERE name = :b",
    ]
    params = {"a": "Ada", "b": "Bob", "new": "Grace"}
    result = run_sql(SqlExec, {"url": db, "sql": statements, "params": params})
    assert result.globals["rowcount"] == 5  # 3 inserted + 2 updated; DDL counts nothing
    assert sorted(sql(db, f"SELECT id, name FROM {table}")) == [
        (1, "Ada"),
        (2, "Grace"),
        (3, "Grace"),
    ]


def test_a_sql_file_is_split_into_statements(
    pg: str, pg_table: str, run_sql: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    script = tmp_path / "setup.sql"
    script.write_text(
        f"""-- set up the table; a ; in a comment is not a statement end
CREATE TABLE {pg_table} (id INTEGER, note TEXT);
INSERT INTO {pg_table} VALUES (1, 'semi;colon'), (2, 'it''s');
/* a function body with ; inside $$ */
CREATE OR REPLACE FUNCTION {pg_table}_f() RETURNS integer AS $$
BEGIN RETURN 1; END;
$$ LANGUAGE plpgsql;
DROP FUNCTION {pg_table}_f();
DELETE FROM {pg_table} WHERE id = :gone;
""",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)  # a relative path is relative to the working directory
    result = run_sql(SqlExec, {"url": pg, "sql": "setup.sql", "params": {"gone": 2}})
    assert sql(pg, f"SELECT id, note FROM {pg_table}") == [(1, "semi;colon")]
    assert result.globals["rowcount"] == 3


def test_a_failing_statement_rolls_back_the_earlier_ones(
    pg: str, pg_table: str, run_sql: Any
) -> None:
    sql(pg, f"CREATE TABLE {pg_table} (id INTEGER)")
    statements = [f"INSERT INTO {pg_table} VALUES (1)", f"INSERT INTO {pg_table} VALUES ('x')"]
    with pytest.raises(SqlModuleError, match="type mismatch on postgresql"):
        run_sql(SqlExec, {"url": pg, "sql": statements})
    assert sql(pg, f"SELECT COUNT(*) FROM {pg_table}") == [(0,)]


def test_a_missing_sql_file_is_named(tmp_path: Path, run_sql: Any) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    with pytest.raises(SqlModuleError, match="SQL file not found: nowhere/setup.sql"):
        run_sql(SqlExec, {"url": url, "sql": "nowhere/setup.sql"})


def test_a_syntax_error_says_so(db: str, run_sql: Any) -> None:
    with pytest.raises(SqlModuleError, match="SQL syntax error"):
        run_sql(SqlExec, {"url": db, "sql": "SELEC 1"})


def test_check_config_refuses_sql_that_is_not_text() -> None:
    problems = SqlExec.check_config({"url": "sqlite:///x.db", "sql": {"a": 1}})
    assert problems == [("sql", "must be SQL text, a list of statements or a .sql path")]
