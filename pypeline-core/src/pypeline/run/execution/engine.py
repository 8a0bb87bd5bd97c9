"""``Engine``: what one run is made of, shared by the scheduler and the sub flow runner.

One object per run instead of globals. ``run/assemble.py`` builds it whole: the job, the run
records, the global store, the templater, the artifact store, the thread pool, the plugin hooks,
the module instances and the checkpoint are all given when it is made, and none of them is
replaced afterwards (an assignment raises). What does change while the run goes is its state:
the halt flag that ``fail_strategy: halt`` raises, whether anything failed, and why and when the
job timeout stops the run.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from pypeline.plugins.facade import PluginHooks
from pypeline.run.checkpoint.checkpoint import Checkpoint, Restored
from pypeline.run.execution.globals import GlobalStore
from pypeline.run.execution.instances import ModuleInstances
from pypeline.run.execution.threads import ThreadRunner
from pypeline.run.observe.recorder import RunRecorder
from pypeline.run.observe.summary import RunSummary
from pypeline.run.templater.templater import IterInfo, Templater
from pypeline.sdk.backend import ArtifactBackend
from pypeline.sdk.context import Frame, RunContext, node_id_for
from pypeline.shared.jobfolder.model import Job

#: The fields a run changes as it goes; every other field is given when the engine is built.
RUN_STATE = frozenset({"halted", "failed", "stop_reason", "deadline"})


class Scheduler(Protocol):
    """What a ``pypeline_schedulers`` class is once built with the run's engine."""

    async def run(self) -> None:
        """Walk the job's sub flows to the end (or until the engine is halted)."""


#: A scheduler class as a plugin gives it: called with the run's engine.
SchedulerClass = Callable[["Engine"], Scheduler]


@dataclass(kw_only=True)
class Engine:
    """Everything a run needs, built by ``assemble.make_engine`` and torn down by the run."""

    job: Job
    run_id: str
    execution_mode: str
    recorder: RunRecorder
    summary: RunSummary
    store: GlobalStore
    templater: Templater
    artifacts: ArtifactBackend
    threads: ThreadRunner
    hooks: PluginHooks
    modules: ModuleInstances
    #: The job's checkpoint (None when ``checkpoint: false``) and what a resume restores.
    checkpoint: Checkpoint | None
    restored: Restored | None
    #: No further sub flow starts (``fail_strategy: halt`` after a failure, or the job timeout).
    halted: bool = field(default=False, init=False)
    #: A sub flow or a condition failed: the run ends ``failed``.
    failed: bool = field(default=False, init=False)
    #: Why the run is being stopped (the job timeout), for the modules it cancels.
    stop_reason: str | None = field(default=None, init=False)
    #: ``time.monotonic()`` at which the job timeout stops the run (None: no timeout).
    deadline: float | None = field(default=None, init=False)
    _dask_lock: asyncio.Lock = field(default_factory=asyncio.Lock, init=False, repr=False)

    def __setattr__(self, name: str, value: object) -> None:
        """A collaborator is given when the engine is built; only the run's state changes."""
        if name in self.__dict__ and name not in RUN_STATE:
            raise AttributeError(f"Engine.{name} is given when the engine is built")
        object.__setattr__(self, name, value)

    def seconds_left(self) -> float | None:
        """What is left of the job timeout: a template render may take no longer."""
        return None if self.deadline is None else max(0.0, self.deadline - time.monotonic())

    def context(
        self,
        node_id: str,
        frame: Frame,
        it: IterInfo | None = None,
        cancel_callbacks: list[Callable[[], None]] | None = None,
    ) -> RunContext:
        """The ``RunContext`` one run of ``node_id`` in ``frame`` sees."""
        it = it or IterInfo()
        module = self.job.nodes[node_id].module
        return RunContext(
            module_id=node_id,
            frame=frame,
            executor=self.threads,
            logger=self.recorder.logger_for(node_id_for(node_id, frame), module=module),
            artifact_manager=self.artifacts,
            global_store=self.store,
            execution_mode=self.execution_mode,
            job=self.job.name,
            run_id=self.run_id,
            iter_item=it.item,
            iter_count=it.count,
            cancel_callbacks=cancel_callbacks,
        )

    def exclusive(self) -> contextlib.AbstractAsyncContextManager[None]:
        """In dask mode, one module at a time builds or computes a graph.

        On Python 3.11 ``functools.cached_property`` holds one lock per class, and Dask's
        expression objects use it: two threads building graphs at once can deadlock each
        other. Dask parallelizes inside each ``compute()`` anyway, so little is lost.
        """
        if self.execution_mode != "dask":
            return contextlib.nullcontext()
        return self._dask_lock

    async def teardown(self) -> None:
        """``teardown`` of every module that was set up, last set up first; errors logged."""

        def logged(node_id: str, exc: Exception) -> None:
            message = f"teardown failed: {exc}"
            self.recorder.event("log", level="ERROR", node_id=node_id, message=message)

        await self.modules.tear_down(lambda node_id: self.context(node_id, ()), logged)
