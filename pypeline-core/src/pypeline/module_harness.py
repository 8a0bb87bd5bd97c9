"""Run one module the way the engine does, without a flow: the unit-test harness of modules.

The engine sets ``config`` (defaults applied) and hands a real ``RunContext``; this gives tests
the same, with a real thread pool, global store and a logger whose messages are kept. Shared by
the core's and the packs' tests, and re-exported by ``pypeline.testing`` for third-party module
authors. Engine imports happen inside ``module_context``: importing this module costs nothing.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

_loggers = itertools.count()


def with_defaults(module_cls: type, config: dict[str, Any]) -> dict[str, Any]:
    """The config the engine would set: the optional keys' defaults, then ``config``."""
    optional = module_cls.CONFIG_SCHEMA.get("optional", {})  # type: ignore[attr-defined]
    merged = {key: spec["default"] for key, spec in optional.items() if "default" in spec}
    merged.update(config)
    return merged


@dataclass
class ModuleHarness:
    """A real ``RunContext`` for one module run outside a flow, and what the run left."""

    ctx: Any
    store: Any
    logs: list[str]

    def globals(self) -> dict[str, Any]:
        """The module's globals by key, as ``{{ <id>__<key> }}`` would read them."""
        prefix = f"{self.ctx.module_id.lower()}__"
        return {k.removeprefix(prefix): v for k, v in self.store.snapshot().items()}


class _KeepMessages(logging.Handler):
    def __init__(self, into: list[str]) -> None:
        super().__init__(logging.DEBUG)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(record.getMessage())


@contextlib.contextmanager
def module_context(
    module_id: str = "node", mode: str = "pandas", run_id: str = ""
) -> Iterator[ModuleHarness]:
    """The context the engine hands a module: a thread pool, a global store and a logger
    whose messages are kept; the pool is shut down afterwards. For unit tests of modules."""
    from pypeline.run.execution.globals import GlobalStore
    from pypeline.run.execution.threads import ThreadRunner
    from pypeline.sdk.context import RunContext

    logs: list[str] = []
    logger = logging.getLogger(f"pypeline.testing.{next(_loggers)}")
    logger.setLevel(logging.DEBUG)
    logger.propagate = True  # pytest's caplog sees the messages too
    logger.addHandler(_KeepMessages(logs))
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
    )
    try:
        yield ModuleHarness(ctx, store, logs)
    finally:
        executor.shutdown()
