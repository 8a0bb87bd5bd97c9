"""Fixtures of the SQL pack's tests: live databases, unique tables, one module run at a time.

PostgreSQL and MariaDB are the real servers named by ``PYPELINE_TEST_PG_URL`` and
``PYPELINE_TEST_MYSQL_URL`` (tox sets them; the defaults are this machine's); SQLite is a file
in the test's temporary folder. ``db`` runs a test once per database. Each test writes to tables
named ``t_<uuid>``, so tests can run concurrently, and ``table`` drops its table afterwards.

``run_sql`` is ``pypeline.testing.run_module`` (config checked with defaults, ``setup``, ``run``,
``teardown`` in a real ``RunContext``), plus the check that teardown released the engines the
run opened.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from pypeline.testing import ModuleRun, run_module
from pypeline_sql import engines

PG_URL = os.environ.get("PYPELINE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
MYSQL_URL = os.environ.get("PYPELINE_TEST_MYSQL_URL", "mysql+pymysql://root@127.0.0.1:3306/test")
DATABASES = ["sqlite", "postgresql", "mysql"]


@pytest.fixture
def run_sql() -> Callable[..., ModuleRun]:
    """``pypeline.testing.run_module``, then a check that teardown disposed the run's engines."""

    def run(*args: Any, **kwargs: Any) -> ModuleRun:
        done = run_module(*args, **kwargs)
        assert done.run_id not in engines.open_runs()  # teardown disposed the run's engines
        return done

    return run


def url_of(kind: str, tmp_path: Path) -> str:
    if kind == "postgresql":
        return PG_URL
    if kind == "mysql":
        return MYSQL_URL
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture(params=DATABASES)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of each database in turn: SQLite (a file here), PostgreSQL, MariaDB."""
    return url_of(str(request.param), tmp_path)


@pytest.fixture
def pg() -> str:
    return PG_URL


def drop(url: str, *tables: str) -> None:
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            for name in tables:
                sa.Table(name, sa.MetaData()).drop(conn, checkfirst=True)
    finally:
        engine.dispose()


def new_name() -> str:
    return f"t_{uuid.uuid4().hex[:12]}"


@pytest.fixture
def table(db: str) -> Iterator[str]:
    """A fresh table name in ``db``, dropped after the test."""
    name = new_name()
    yield name
    drop(db, name)


@pytest.fixture
def pg_table(pg: str) -> Iterator[str]:
    name = new_name()
    yield name
    drop(pg, name)


def sql(url: str, statement: str, **params: Any) -> list[tuple[Any, ...]]:
    """Run one statement outside the modules (set up or inspect a table); rows if any."""
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            result = conn.execute(sa.text(statement), params)
            return [tuple(row) for row in result] if result.returns_rows else []
    finally:
        engine.dispose()
