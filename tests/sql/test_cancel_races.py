"""A cancel that lands while a connection is being opened, or just before its statement starts,
still stops the module: the connection is refused, or the statement is stopped when it starts.

A SQLAlchemy ``checkout`` listener cancels at exactly that moment, so the race is not left to
timing. Against every database the tests use.
"""

from __future__ import annotations

import logging
import threading
import time

import pytest
import sqlalchemy as sa

from pypeline_sql.cancel import Cancelled, Canceller

from .test_cancel import SLOW, kind_of


def test_a_cancel_while_the_connection_opens_refuses_it(db: str) -> None:
    engine = sa.create_engine(db)
    stop = Canceller(logging.getLogger("test"))
    ran: list[str] = []
    sa.event.listen(engine, "checkout", lambda *_: stop.cancel())
    try:
        with pytest.raises(Cancelled), stop.connect(engine) as conn:
            ran.append("block")
            conn.exec_driver_sql("SELECT 1")
    finally:
        engine.dispose()
    assert ran == [] and stop.cancelled


def test_a_statement_that_starts_after_the_cancel_is_stopped_when_it_starts(db: str) -> None:
    engine = sa.create_engine(db)
    stop = Canceller(logging.getLogger("test"))
    outcome: dict[str, BaseException] = {}
    inside = threading.Event()

    def work() -> None:
        try:
            with stop.connect(engine) as conn:
                inside.set()
                time.sleep(3.0)  # the cancel comes now, with nothing running yet
                conn.exec_driver_sql(SLOW[kind_of(db)]).fetchall()
        except Exception as exc:
            outcome["error"] = exc

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    assert inside.wait(30)
    stop.cancel()
    started = time.monotonic()
    worker.join(20)
    try:
        assert not worker.is_alive(), "the statement ran on after a cancel that came before it"
        assert time.monotonic() - started < 10.0
        assert "error" in outcome  # stopped by the server, or refused when the block ended
    finally:
        engine.dispose()
