"""Stopping a run: the scheduler under the job timeout, then the threads.

``schedule`` runs the scheduler and, when the timeout strikes, cancels it: every running module
is told through ``ctx.on_cancel`` and recorded failed with the reason.

A module's blocking call (a query, a socket read) cannot be killed from another thread in
Python. When the job timed out, the engine has already told each running module to stop
(``ctx.on_cancel``: the SQL pack cancels its query through the driver) and recorded it failed;
here the pool gets a short grace to finish. A thread still busy after it is *abandoned*: the
run ends anyway, and the CLI exits without joining it, so ``settings.timeout`` is a bound on
the whole process, not only on the scheduler.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

from pypeline.run.execution.engine import Engine, SchedulerClass

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


async def schedule(
    engine: Engine, scheduler_cls: SchedulerClass, timeout: float | None
) -> tuple[str, str | None]:
    """Schedule under the job timeout; always tear down what was set up.

    On timeout the scheduler is cancelled: each running module is told (``ctx.on_cancel``)
    and recorded failed with the reason, and nothing waits for its blocking thread.
    """
    if timeout:
        engine.deadline = time.monotonic() + timeout
    task = asyncio.ensure_future(scheduler_cls(engine).run())
    try:
        done, _ = await asyncio.wait({task}, timeout=timeout)
        if not done:
            engine.stop_reason = f"job timed out after {timeout:g}s"
            engine.failed = engine.halted = True
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            return "failed", engine.stop_reason
        task.result()
    finally:
        if not task.done():  # interrupted (Ctrl-C): the running modules are told
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await engine.teardown()
    return ("failed", "one or more modules failed") if engine.failed else ("success", None)
