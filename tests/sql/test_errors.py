"""Errors a user can act on: one line, naming the node and the database, never the password."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from pypeline_sql.errors import SqlModuleError, describe
from pypeline_sql.sql_exec import SqlExec
from pypeline_sql.sql_sink import SqlSink
from pypeline_sql.sql_source import SqlSource

from .conftest import MYSQL_URL, PG_URL

PASSWORD = "Sup3r-Secret-pw"


def with_login(url: str, user: str | None = None, port: int | None = None) -> str:
    parsed = make_url(url).set(password=PASSWORD)
    if user:
        parsed = parsed.set(username=user)
    if port:
        parsed = parsed.set(port=port)
    return parsed.render_as_string(hide_password=False)


def error_of(run_sql: Any, module: Any, config: dict[str, Any]) -> str:
    with pytest.raises(SqlModuleError) as caught:
        run_sql(module, config)
    text = str(caught.value)
    assert PASSWORD not in text and "\n" not in text
    assert text.startswith(f"{module.NAME} node: ")
    return text


@pytest.mark.parametrize("base", [PG_URL, MYSQL_URL], ids=["postgresql", "mysql"])
def test_an_unreachable_server(base: str, run_sql: Any) -> None:
    url = with_login(base, port=1)
    text = error_of(run_sql, SqlSource, {"url": url, "query": "SELECT 1"})
    host = make_url(url).host
    assert f"cannot reach the database server on {describe(url)}" in text
    assert f":***@{host}:1/" in text


def test_an_unreachable_sqlite_file(tmp_path: Path, run_sql: Any) -> None:
    url = f"sqlite:///{tmp_path / 'no' / 'such' / 'dir.db'}"
    text = error_of(run_sql, SqlExec, {"url": url, "sql": "SELECT 1"})
    assert "cannot reach the database server" in text and "unable to open database file" in text


@pytest.mark.parametrize(
    ("base", "user"),
    [(PG_URL, "no_such_role"), (MYSQL_URL, None)],
    ids=["postgresql", "mysql"],
)
def test_bad_credentials(base: str, user: str | None, run_sql: Any) -> None:
    url = with_login(base, user=user)
    text = error_of(run_sql, SqlSource, {"url": url, "query": "SELECT 1"})
    assert "bad credentials on" in text and ":***@" in text


def test_an_unknown_table(db: str, run_sql: Any) -> None:
    text = error_of(run_sql, SqlSource, {"url": db, "table": "no_such_table_here"})
    assert f"unknown table on {describe(db)}" in text and "no_such_table_here" in text
    text = error_of(run_sql, SqlSource, {"url": db, "query": "SELECT * FROM no_such_table_here"})
    assert "unknown table" in text and "no_such_table_here" in text


def test_an_unknown_column(db: str, table: str, run_sql: Any) -> None:
    run_sql(SqlExec, {"url": db, "sql": f"CREATE TABLE {table} (a INTEGER)"})
    text = error_of(run_sql, SqlSource, {"url": db, "query": f"SELECT nope FROM {table}"})
    assert "unknown column" in text and "nope" in text


@pytest.mark.parametrize("base", [PG_URL, MYSQL_URL], ids=["postgresql", "mysql"])
def test_a_value_that_does_not_fit_its_column(base: str, table: str, run_sql: Any) -> None:
    import pandas as pd

    from .conftest import drop

    run_sql(SqlExec, {"url": base, "sql": f"CREATE TABLE {table} (n INTEGER)"})
    try:
        with pytest.raises(SqlModuleError, match="type mismatch on .*abc"):
            run_sql(SqlSink, {"url": base, "table": table}, {"input": pd.DataFrame({"n": ["abc"]})})
    finally:
        drop(base, table)


def test_describe_masks_passwords_in_the_url_and_its_options() -> None:
    url = "postgresql+psycopg://etl:pw%40123@db.example:5432/sales?sslpassword=abc&app=x"
    assert describe(url) == (
        "postgresql+psycopg://etl:***@db.example:5432/sales?app=x&sslpassword=***"
    )
    assert describe("postgres ql://etl:s3cret@h/db") == "<unparsable URL>"
    assert describe("etl:s3cret@host/db") == "<unparsable URL>"


def test_a_flow_with_a_secret_url_fails_with_a_masked_one_line_error(
    pypeline_flow: Any, monkeypatch: Any
) -> None:
    monkeypatch.setenv("PYPELINE_TEST_DB_PASSWORD", PASSWORD)
    url = with_login(MYSQL_URL).replace(PASSWORD, "{{ secret('env:PYPELINE_TEST_DB_PASSWORD') }}")
    run = pypeline_flow(
        f"""
flow: {{name: bad_login}}
modules:
  - id: read_orders
    name: sql_source
    configs: {{required: {{url: "{url}"}}, optional: {{query: "SELECT 1"}}}}
"""
    )
    assert run.exit_code == 1
    error = run.node("read_orders")["error"]
    assert error.startswith("sql_source read_orders: bad credentials on mysql+pymysql://root:***@")
    everything = (run.run_dir / "log.jsonl").read_text() + str(run.summary)
    assert PASSWORD not in everything
