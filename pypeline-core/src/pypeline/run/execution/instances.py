"""The run's module instances: one per node, made on first use, set up once, torn down last.

SPEC §6: a module is instantiated once per run, its ``setup`` runs before its first ``run`` and
its ``teardown`` once when the run ends, whatever happened. Inside an ITERATE scope a node runs
once per item, several at a time with ``parallel``, so the one-time ``setup`` is guarded by a
lock per node. Kept apart from the engine so that the engine is only what a run is made of.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from pypeline.plugins.registry import import_class
from pypeline.sdk.base import BaseModule
from pypeline.sdk.context import RunContext
from pypeline.shared.errors import UsageError
from pypeline.shared.jobfolder.model import Job


class ModuleInstances:
    """The module instances of one run's job, and which of them were set up, in order."""

    def __init__(self, job: Job) -> None:
        self._job = job
        self._instances: dict[str, BaseModule] = {}
        self._set_up: list[str] = []
        self._locks: dict[str, asyncio.Lock] = {}

    def get(self, node_id: str) -> BaseModule:
        """The node's single module instance for this run."""
        if node_id not in self._instances:
            node = self._job.nodes[node_id]
            try:
                cls = import_class(node.module_path, node.meta.get("sys_path"))
            except UsageError as exc:  # a job folder moved to a machine without its packs
                hint = "install the pack that provides it, or rebuild the job"
                raise UsageError(str(exc), hint) from None
            self._instances[node_id] = cls()
        return self._instances[node_id]

    async def set_up(self, node_id: str, ctx: RunContext) -> None:
        """``setup`` of the node's instance the first time it runs; a failed setup is retried."""
        async with self._locks.setdefault(node_id, asyncio.Lock()):
            if node_id not in self._set_up:
                await self.get(node_id).setup(ctx)
                self._set_up.append(node_id)

    async def tear_down(
        self,
        context_for: Callable[[str], RunContext],
        on_error: Callable[[str, Exception], None],
    ) -> None:
        """``teardown`` of every instance that was set up, last set up first.

        One module's failing teardown is reported through ``on_error`` and the others still run:
        every connection a module opened deserves its chance to be closed.
        """
        for node_id in reversed(self._set_up):
            try:
                await self._instances[node_id].teardown(context_for(node_id))
            except Exception as exc:
                on_error(node_id, exc)
        self._set_up.clear()
