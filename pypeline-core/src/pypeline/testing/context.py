"""The run as one module sees it, made for a module run alone: no flow, no engine, no job folder.

The engine hands a module a ``RunContext`` with the run's thread pool, global store and a logger
bound to the node; this makes the same with real parts (a two-thread pool, the engine's
``GlobalStore``) and a logger whose records are kept, so a test reads what the module logged.
Cancel callbacks the module registers with ``ctx.on_cancel`` are kept for the test to call.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pypeline.run.execution.globals import GlobalStore
    from pypeline.sdk.context import RunContext

_loggers = itertools.count()


@dataclass
class ModuleContext:
    """A real ``RunContext`` for one module run, and what the run left in it."""

    ctx: RunContext
    store: GlobalStore
    records: list[logging.LogRecord] = field(default_factory=list)
    cancel_callbacks: list[Callable[[], None]] = field(default_factory=list)

    def globals(self) -> dict[str, Any]:
        """The module's globals by key (lower case), as ``{{ <id>__<key> }}`` would read them."""
        prefix = f"{self.ctx.module_id.lower()}__"
        return {k.removeprefix(prefix): v for k, v in self.store.snapshot().items()}

    def messages(self, level: int = logging.DEBUG) -> list[str]:
        """The messages the module logged at ``level`` or above, in order."""
        return [r.getMessage() for r in self.records if r.levelno >= level]


class _Keep(logging.Handler):
    def __init__(self, into: list[logging.LogRecord]) -> None:
        super().__init__(logging.DEBUG)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(record)


@contextlib.contextmanager
def module_context(module_id: str, mode: str, run_id: str) -> Iterator[ModuleContext]:
    """A context for one module run in ``mode``; its thread pool is shut down afterwards."""
    from pypeline.run.execution.globals import GlobalStore
    from pypeline.run.execution.threads import ThreadRunner
    from pypeline.sdk.context import RunContext

    records: list[logging.LogRecord] = []
    callbacks: list[Callable[[], None]] = []
    logger = logging.getLogger(f"pypeline.testing.{next(_loggers)}")
    logger.setLevel(logging.DEBUG)
    logger.propagate = True  # pytest's caplog sees the messages too
    handler = _Keep(records)
    logger.addHandler(handler)
    store, executor = GlobalStore(), ThreadRunner(2)
    ctx = RunContext(
        module_id=module_id,
        frame=(),
        executor=executor,
        logger=logger,
        artifact_manager=None,
        global_store=store,
        execution_mode=mode,
        run_id=run_id,
        cancel_callbacks=callbacks,
    )
    try:
        yield ModuleContext(ctx, store, records, callbacks)
    finally:
        executor.shutdown()
        logger.removeHandler(handler)
