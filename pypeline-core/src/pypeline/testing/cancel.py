"""Cancel a module while it runs, as the engine does on a job timeout or Ctrl-C.

A module that waits on a server registers with ``ctx.on_cancel`` how to stop that wait; the
engine calls those callbacks when the run is cancelled. ``cancel_while_running`` runs the module
(``setup`` → ``run`` → ``teardown``) in a thread, waits until ``running`` returns (the work is
under way), calls the callbacks and measures how long the module takes to stop.
"""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from pypeline.testing.context import module_context
from pypeline.testing.modules import as_artifact, lifecycle, with_defaults

if TYPE_CHECKING:
    from pypeline.sdk.base import BaseModule

#: How long a cancelled module may go on before the test says it did not stop.
STOP_SECONDS = 15.0


class Cancelled(NamedTuple):
    """Seconds from the cancel to the module's end, and what the module raised (if anything)."""

    seconds: float
    error: BaseException | None


def cancel_while_running(
    module: type[BaseModule],
    config: dict[str, Any],
    inputs: dict[str, Any] | None = None,
    running: Callable[[], None] = lambda: time.sleep(1.0),
    mode: str = "pandas",
) -> Cancelled:
    """Run the module in a thread; once ``running`` returns, call its cancel callbacks.

    Fails the test if the module ended before the cancel, registered no callback, or still
    runs ``STOP_SECONDS`` after the cancel.
    """
    from pypeline.run.execution.config_check import check_rendered_config

    rendered = with_defaults(module, config)
    check_rendered_config(module, "node", rendered)
    instance = module()
    instance.config = rendered
    artifacts = {port: as_artifact(v, mode, 2) for port, v in (inputs or {}).items()}
    outcome: dict[str, BaseException] = {}
    with module_context("node", mode, uuid.uuid4().hex) as kept:

        def thread() -> None:
            try:
                asyncio.run(lifecycle(instance, artifacts, kept.ctx))
            except BaseException as exc:
                outcome["error"] = exc

        worker = threading.Thread(target=thread, daemon=True)
        worker.start()
        running()
        assert worker.is_alive(), f"the module ended before the cancel: {outcome}"
        assert kept.cancel_callbacks, "the module registered no cancel callback"
        started = time.monotonic()
        for callback in kept.cancel_callbacks:
            callback()
        worker.join(STOP_SECONDS)
        elapsed = time.monotonic() - started
        assert not worker.is_alive(), f"the module still runs {STOP_SECONDS:g} s after the cancel"
    return Cancelled(elapsed, outcome.get("error"))
