"""One SQLAlchemy engine per distinct URL per run, shared by the pack's modules.

An engine owns a connection pool: the modules of one run that talk to the same database share
one pool instead of opening their own, and no pool outlives its run. The engine's ``RunContext``
offers no per-run storage a pack can hang objects on, so the pack keeps this small registry keyed
by run id: a module ``join``s its run in ``setup`` (and on first use, for callers that skip
``setup``), takes the engine for its rendered URL with ``engine_for``, and ``leave``s in
``teardown``; the last module of a run to leave disposes every engine of that run. Two runs in
one process (tests, an embedding application) never share an engine, since their run ids differ.

Engines are created with a connect timeout (an unreachable server fails in seconds, not
minutes), ``pool_pre_ping`` (a connection the server dropped between sub flows is replaced, not
reported as an error), ``utf8mb4`` for MySQL/MariaDB, and, for SQLite, explicit ``BEGIN`` so that
DDL (``replace``, table creation) is part of the module's one transaction as it is on PostgreSQL.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.engine import URL, Engine

CONNECT_TIMEOUT_S = 10


@dataclass
class _RunEngines:
    members: set[int] = field(default_factory=set)
    engines: dict[str, Engine] = field(default_factory=dict)


_lock = threading.Lock()
_runs: dict[str, _RunEngines] = {}


def join(run_id: str, member: object) -> None:
    """Count ``member`` (a module instance) as a user of ``run_id``'s engines."""
    with _lock:
        _runs.setdefault(run_id, _RunEngines()).members.add(id(member))


def engine_for(run_id: str, member: object, url: str) -> Engine:
    """The run's engine for ``url``, created on first use (URL errors raise ``ArgumentError``)."""
    with _lock:
        run = _runs.setdefault(run_id, _RunEngines())
        run.members.add(id(member))
        engine = run.engines.get(url)
        if engine is None:
            engine = run.engines[url] = create(url)
        return engine


def leave(run_id: str, member: object) -> None:
    """``member`` is done with the run; the last one out disposes the run's engines."""
    with _lock:
        run = _runs.get(run_id)
        if run is None:
            return
        run.members.discard(id(member))
        if run.members:
            return
        del _runs[run_id]
    for engine in run.engines.values():
        engine.dispose()


def open_runs() -> dict[str, int]:
    """Run id → engines still open: lets tests check that teardown released them."""
    with _lock:
        return {run_id: len(run.engines) for run_id, run in _runs.items()}


def create(url: str) -> Engine:
    """A new engine for ``url`` with the pack's connection settings (see the module docstring)."""
    from sqlalchemy import create_engine, event
    from sqlalchemy.engine import make_url

    parsed = with_pack_driver(make_url(url))
    engine = create_engine(parsed, **engine_options(parsed))
    if parsed.get_backend_name() == "sqlite":
        # pysqlite opens transactions lazily and never before DDL; take over (SQLAlchemy's
        # documented recipe) so DROP/CREATE roll back with the rows.
        @event.listens_for(engine, "connect")
        def _no_implicit_transactions(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None

        @event.listens_for(engine, "begin")
        def _begin(connection: Any) -> None:
            connection.exec_driver_sql("BEGIN")

    return engine


def with_pack_driver(url: URL) -> URL:
    """A URL without a driver gets the one the pack's extras install.

    SQLAlchemy's defaults for a bare ``postgresql://`` and ``mysql://`` are psycopg2 and
    mysqlclient, which the pack does not install; psycopg 3 and PyMySQL are what it does.
    """
    defaults = {"postgresql": "postgresql+psycopg", "mysql": "mysql+pymysql"}
    defaults["mariadb"] = "mariadb+pymysql"
    return url.set(drivername=defaults.get(url.drivername, url.drivername))


def engine_options(url: URL) -> dict[str, Any]:
    """``create_engine`` keyword arguments for ``url``: also handed to Dask's own engines."""
    backend = url.get_backend_name()
    connect_args: dict[str, Any] = {}
    if backend in ("postgresql", "mysql", "mariadb") and "connect_timeout" not in url.query:
        connect_args["connect_timeout"] = CONNECT_TIMEOUT_S
    if backend in ("mysql", "mariadb") and "charset" not in url.query:
        connect_args["charset"] = "utf8mb4"
    return {"pool_pre_ping": True, "connect_args": connect_args}
