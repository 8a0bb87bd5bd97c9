"""``Engine``: the state of one run, shared by the scheduler and the sub flow runner.

One object per run instead of globals: the job, its module instances (one per module, set up
on first use, always torn down), the global store, the templater, the artifact manager, the
thread pool, the run records and the halt flag that ``fail_strategy: halt`` raises.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pypeline.plugins.registry import import_class
from pypeline.run.execution.globals import GlobalStore
from pypeline.run.execution.threads import ThreadRunner
from pypeline.run.observe.recorder import RunRecorder
from pypeline.run.observe.summary import RunSummary
from pypeline.run.templater.templater import Templater
from pypeline.sdk.base import BaseModule
from pypeline.shared.errors import UsageError
from pypeline.shared.jobfolder.model import Job

if TYPE_CHECKING:
    from pypeline.plugins.facade import PluginHooks
    from pypeline.run.checkpoint.checkpoint import Checkpoint, Restored
    from pypeline.sdk.backend import ArtifactBackend


@dataclass
class Engine:
    """Everything a run needs, built by ``run.run`` and torn down by it."""

    job: Job
    run_id: str
    recorder: RunRecorder
    summary: RunSummary
    store: GlobalStore
    templater: Templater
    artifacts: ArtifactBackend
    threads: ThreadRunner
    hooks: PluginHooks
    execution_mode: str = "pandas"
    checkpoint: Checkpoint | None = None
    restored: Restored | None = None
    halted: bool = False
    failed: bool = False
    #: Why the run is being stopped (the job timeout), for the modules it cancels.
    stop_reason: str | None = None
    #: ``time.monotonic()`` at which the job timeout stops the run (None: no timeout).
    deadline: float | None = None

    def seconds_left(self) -> float | None:
        """What is left of the job timeout: a template render may take no longer."""
        return None if self.deadline is None else max(0.0, self.deadline - time.monotonic())

    modules: dict[str, BaseModule] = field(default_factory=dict)
    set_up: list[str] = field(default_factory=list)
    locks: dict[str, asyncio.Lock] = field(default_factory=dict)
    dask_lock: asyncio.Lock | None = None

    def module(self, node_id: str) -> BaseModule:
        """The node's single module instance for this run."""
        if node_id not in self.modules:
            node = self.job.nodes[node_id]
            try:
                cls = import_class(node.module_path, node.meta.get("sys_path"))
            except UsageError as exc:  # a job folder moved to a machine without its packs
                hint = "install the pack that provides it, or rebuild the job"
                raise UsageError(str(exc), hint) from None
            self.modules[node_id] = cls()
        return self.modules[node_id]

    def exclusive(self) -> contextlib.AbstractAsyncContextManager[Any]:
        """In dask mode, one module at a time builds or computes a graph.

        On Python 3.11 ``functools.cached_property`` holds one lock per class, and Dask's
        expression objects use it: two threads building graphs at once can deadlock each
        other. Dask parallelizes inside each ``compute()`` anyway, so little is lost.
        """
        if self.execution_mode != "dask":
            return contextlib.nullcontext()
        if self.dask_lock is None:
            self.dask_lock = asyncio.Lock()
        return self.dask_lock

    def lock(self, node_id: str) -> asyncio.Lock:
        """Guards a node's one-time ``setup`` against concurrent first runs."""
        return self.locks.setdefault(node_id, asyncio.Lock())

    async def teardown(self) -> None:
        """``teardown`` of every module that was set up, last set up first; errors logged."""
        from pypeline.run.execution.node import make_context

        for node_id in reversed(self.set_up):
            try:
                await self.modules[node_id].teardown(make_context(self, node_id, ()))
            except Exception as exc:
                self.recorder.event(
                    "log", level="ERROR", node_id=node_id, message=f"teardown failed: {exc}"
                )
        self.set_up.clear()
