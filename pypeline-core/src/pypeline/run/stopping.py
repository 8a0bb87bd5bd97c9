"""Stopping the run's threads: wait for them, or, after a timeout, stop waiting.

A module's blocking call (a query, a socket read) cannot be killed from another thread in
Python. When the job timed out, the engine has already told each running module to stop
(``ctx.on_cancel``: the SQL pack cancels its query through the driver) and recorded it failed;
here the pool gets a short grace to finish. A thread still busy after it is *abandoned*: the
run ends anyway, and the CLI exits without joining it, so ``settings.timeout`` is a bound on
the whole process, not only on the scheduler.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pypeline.run.execution.engine import Engine

#: Seconds the pool's threads get to end after a timeout or an interrupt.
GRACE_S = 2.0


def release_threads(engine: Engine, wait: bool) -> bool:
    """Shut the pool down; True when some thread is still running (abandoned)."""
    pool = engine.threads.pool
    if wait:
        pool.shutdown(wait=True, cancel_futures=True)
        return False
    pool.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + GRACE_S
    threads = list(getattr(pool, "_threads", ()))
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return any(thread.is_alive() for thread in threads)
