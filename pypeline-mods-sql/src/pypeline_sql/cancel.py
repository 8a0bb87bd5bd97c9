"""Stopping a module's running statement when its run is cancelled (job timeout, Ctrl-C).

A module's database work runs in a thread that sits in the driver while the server works: the
engine can stop waiting for that thread, but only the driver can stop the server. A
``Canceller`` knows the connections its module is using (they are opened through ``connect``
and ``begin``), and ``cancel`` (what the module registers with ``ctx.on_cancel``) asks each
one's server to stop: PostgreSQL through psycopg's cancel request, MySQL/MariaDB with
``KILL QUERY <thread id>`` on a second connection (the first is busy), SQLite with
``Connection.interrupt()``. These calls open connections and wait for servers, and callbacks
run on the event loop, which must not block: so each runs in a short-lived daemon thread.

Between two statements there is nothing for a server to stop, and MySQL's ``SLEEP`` returns 1
instead of failing when killed: the work checks ``check`` between statements and after them,
so a load of many batches stops at the next batch, and a cancelled run always ends in error.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from pypeline_sql.errors import SqlModuleError, describe, failure

if TYPE_CHECKING:
    from sqlalchemy.engine import URL, Connection, Engine


#: A statement may start a while after the cancel (the driver still sending it, a slow
#: machine): the stop is asked again every RETRY_S while the connection stays busy, up to a minute.
RETRIES, RETRY_S = 120, 0.5


class Cancelled(Exception):
    """Raised in the module's thread once its run has been cancelled."""


class Canceller:
    """The connections of one module run, and how to stop what they are doing."""

    def __init__(self, logger: logging.Logger | logging.LoggerAdapter[Any]) -> None:
        self.logger = logger
        self.cancelled = False
        self._lock = threading.Lock()
        self._busy: dict[int, tuple[Engine, Any]] = {}  # id(DBAPI connection) → it

    @contextmanager
    def connect(self, engine: Engine) -> Iterator[Connection]:
        """``engine.connect()``, its connection stoppable while the block runs."""
        self.check()
        with engine.connect() as conn, self._watching(engine, conn):
            yield conn
        self.check()

    @contextmanager
    def begin(self, engine: Engine) -> Iterator[Connection]:
        """``engine.begin()``: one transaction, committed at the end unless cancelled."""
        with self.connect(engine) as conn, conn.begin():
            yield conn
            self.check()  # a statement the server ended quietly (SLEEP) must not commit

    @contextmanager
    def spared(self, conn: Connection) -> Iterator[None]:
        """Not stoppable for a while: the clean-up after a failure (drop a staging table)."""
        key = id(conn.connection.driver_connection)
        with self._lock:
            entry = self._busy.pop(key, None)
        try:
            yield
        finally:
            if entry is not None:
                with self._lock:
                    self._busy[key] = entry

    def check(self) -> None:
        """Raise ``Cancelled`` if the run was cancelled: call between statements."""
        if self.cancelled:
            raise Cancelled("the run was cancelled")

    def cancel(self) -> None:
        """Mark the run cancelled and stop every statement in progress (does not block)."""
        with self._lock:
            self.cancelled = True
            busy = list(self._busy)
        for key in busy:
            threading.Thread(
                target=self._stop, args=(key,), name="pypeline-sql-cancel", daemon=True
            ).start()

    @contextmanager
    def _watching(self, engine: Engine, conn: Connection) -> Iterator[None]:
        key = id(conn.connection.driver_connection)
        with self._lock:
            self._busy[key] = (engine, conn.connection.driver_connection)
            cancelled = self.cancelled
        try:
            if cancelled:  # the cancel came while the connection was being opened
                raise Cancelled("the run was cancelled")
            yield
        finally:
            with self._lock:
                self._busy.pop(key, None)

    def _stop(self, key: int) -> None:
        """Stop the connection's statement; again while it stays busy, for a statement that
        started just after the flag was checked (the cancel request found nothing to stop)."""
        for _attempt in range(RETRIES):
            with self._lock:
                entry = self._busy.get(key)
            if entry is None:
                return
            engine, driver = entry
            try:
                stop_statement(engine, driver)
            except Exception as exc:  # the module fails anyway; say why the query went on
                where = describe(engine.url)
                self.logger.warning("could not cancel the statement on %s: %s", where, exc)
                return
            time.sleep(RETRY_S)

    def failure(self, module: str, node_id: str, url: URL | str, exc: BaseException) -> Exception:
        """The module's error: "cancelled" when the run was, else ``errors.failure``."""
        if self.cancelled:
            return SqlModuleError(
                f"{module} {node_id}: cancelled on {describe(url)}: the statement was stopped "
                "(job timeout or interrupt)"
            )
        return failure(module, node_id, url, exc)


def stop_statement(engine: Engine, driver: Any) -> None:
    """Ask the server behind ``driver`` (a DBAPI connection of ``engine``) to stop its statement."""
    backend = engine.dialect.name
    if backend == "postgresql":
        stop = getattr(driver, "cancel_safe", None) or driver.cancel
        stop()
    elif backend in ("mysql", "mariadb"):
        thread_id = int(driver.thread_id())
        with engine.connect() as other:
            other.exec_driver_sql(f"KILL QUERY {thread_id}")
    elif backend == "sqlite":
        driver.interrupt()
    else:
        raise NotImplementedError(f"no way to cancel a statement on {backend}")
