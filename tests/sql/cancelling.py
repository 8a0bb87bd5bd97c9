"""Run a module in a thread as the engine does, and cancel it the way the engine does.

``cancel_while_running`` hands the module a ``RunContext`` whose cancel callbacks the test
owns, runs ``setup`` → ``run`` → ``teardown`` in a thread, waits until the statement is
running, calls the callbacks (what the engine does on a job timeout or Ctrl-C) and returns how
long the module took to stop, and what it raised.
"""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import pandas as pd

from pypeline import BaseModule
from pypeline.sdk.context import RunContext
from pypeline.sdk.memory_artifact import MemoryArtifact
from pypeline.testing import module_context, with_defaults


def cancel_while_running(
    module: type[BaseModule],
    config: dict[str, Any],
    inputs: dict[str, pd.DataFrame] | None = None,
    running: Callable[[], None] = lambda: time.sleep(1.0),
) -> tuple[float, BaseException | None]:
    """Run the module in a thread; once ``running`` returns, call its cancel callbacks.

    Returns the seconds from the cancel to the module's end, and what it raised.
    """
    callbacks: list[Callable[[], None]] = []
    outcome: dict[str, BaseException] = {}
    instance = module()
    instance.config = with_defaults(module, config)
    artifacts = {port: MemoryArtifact(frame) for port, frame in (inputs or {}).items()}
    with module_context("node", "pandas", uuid.uuid4().hex) as harness:
        base = harness.ctx
        ctx = RunContext(
            module_id="node",
            frame=(),
            executor=base.executor,
            logger=base.logger,
            artifact_manager=None,
            global_store=harness.store,
            run_id=base.run_id,
            cancel_callbacks=callbacks,
        )

        async def go() -> None:
            await instance.setup(ctx)
            try:
                await instance.run(artifacts, ctx)
            finally:
                await instance.teardown(ctx)

        def thread() -> None:
            try:
                asyncio.run(go())
            except BaseException as exc:
                outcome["error"] = exc

        worker = threading.Thread(target=thread, daemon=True)
        worker.start()
        running()
        assert worker.is_alive(), f"the module ended before the cancel: {outcome}"
        assert callbacks, "the module registered no cancel callback"
        started = time.monotonic()
        for callback in callbacks:
            callback()
        worker.join(15)
        elapsed = time.monotonic() - started
        assert not worker.is_alive(), "the module still runs 15 s after the cancel"
    return elapsed, outcome.get("error")
