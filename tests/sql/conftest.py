"""Fixtures of the SQL pack's tests: live databases, unique tables, one module run at a time.

PostgreSQL and MariaDB are the real servers named by ``PYPELINE_TEST_PG_URL`` and
``PYPELINE_TEST_MYSQL_URL`` (tox sets them; the defaults are this machine's); SQLite is a file
in the test's temporary folder. ``db`` runs a test once per database. Each test writes to tables
named ``t_<uuid>``, so tests can run concurrently, and ``table`` drops its table afterwards.

``run_sql`` runs one module the way the engine does: config with defaults, ``setup``, ``run``,
``teardown``, in a real ``RunContext`` with a thread pool and a global store; it returns the
outputs, globals and log lines, or raises the module's error as the engine would record it.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import sqlalchemy as sa

from pypeline import BaseModule
from pypeline.sdk.memory_artifact import MemoryArtifact
from pypeline.testing import module_context, with_defaults
from pypeline_sql import engines

PG_URL = os.environ.get("PYPELINE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
MYSQL_URL = os.environ.get("PYPELINE_TEST_MYSQL_URL", "mysql+pymysql://root@127.0.0.1:3306/test")
DATABASES = ["sqlite", "postgresql", "mysql"]


@dataclass
class ModuleRun:
    """What a test sees of one module run."""

    outputs: dict[str, Any]
    globals: dict[str, Any]
    logs: list[str] = field(default_factory=list)

    def frame(self, port: str = "data") -> pd.DataFrame:
        value = self.outputs[port]
        return value.compute() if hasattr(value, "compute") else value


def run_module(
    module: type[BaseModule],
    config: dict[str, Any],
    inputs: dict[str, Any] | None = None,
    mode: str = "pandas",
    run_id: str | None = None,
) -> ModuleRun:
    """Check the literal config like the build, then setup → run → teardown like the engine."""
    problems = module.check_config(config)
    assert not problems, f"check_config refused the test's config: {problems}"
    instance = module()
    instance.config = with_defaults(module, config)
    artifacts = {port: MemoryArtifact(frame) for port, frame in (inputs or {}).items()}
    with module_context("node", mode, run_id or uuid.uuid4().hex) as harness:
        ctx = harness.ctx

        async def go() -> dict[str, Any]:
            await instance.setup(ctx)
            try:
                return await instance.run(artifacts, ctx)
            finally:
                await instance.teardown(ctx)

        outputs = asyncio.run(go())
    assert ctx.run_id not in engines.open_runs()  # teardown disposed the run's engines
    return ModuleRun(outputs, harness.globals(), harness.logs)


@pytest.fixture
def run_sql() -> Callable[..., ModuleRun]:
    """``run_sql(ModuleClass, config, inputs={port: frame}, mode=...)`` → ``ModuleRun``."""
    return run_module


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
