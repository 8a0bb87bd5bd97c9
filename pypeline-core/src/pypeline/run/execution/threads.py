"""The run's process-wide thread pool, behind ``ctx.executor.run_in_thread``.

One pool per run (SPEC §6), sized by ``threads`` (CLI, ``PYPELINE_THREADS``, flow settings,
default ``os.cpu_count() * 2``). Blocking work of every module goes through it so the event loop
stays free to start the other modules of a wave.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def default_threads() -> int:
    """``os.cpu_count() * 2``, the seed's default."""
    return (os.cpu_count() or 1) * 2


class ThreadRunner:
    """Owns the ThreadPoolExecutor; ``run_in_thread`` awaits a blocking call on it."""

    def __init__(self, threads: int) -> None:
        self.threads = threads
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="pypeline")

    async def run_in_thread(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        call = functools.partial(fn, *args, **kwargs) if kwargs else functools.partial(fn, *args)
        # the caller's context variables go with the call (the run's temporaries tracker)
        context = contextvars.copy_context()
        return await loop.run_in_executor(self.pool, context.run, call)

    def shutdown(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
