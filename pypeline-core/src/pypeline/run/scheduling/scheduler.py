"""Priority-DFS over sub flows (SPEC §6): the core's ``priority_dfs`` scheduler.

Roots run one after another in declaration order. When a sub flow ends, its outgoing control
edges are taken by ascending order; the edges of one order run concurrently; each target runs
its whole downstream before the next order is taken. ITERATE runs the target's scope once per
item in a new iteration frame; START spawns it and moves on; ``error`` edges fire only on
failure. A sub flow runs at most once per iteration frame.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from itertools import groupby
from typing import Any

from pypeline.run.execution.engine import Engine
from pypeline.run.execution.resume import restore_subflow, save_subflow
from pypeline.run.execution.subflow import run_subflow, skip_subflow
from pypeline.run.templater.templater import IterInfo
from pypeline.sdk.context import Frame
from pypeline.shared.jobfolder.model import ControlEdge
from pypeline.shared.templates import strip_braces


class PriorityDfsScheduler:
    """Walks the sub flow graph of one run."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        job = engine.job
        self.settings = job.settings
        self.edges_from: dict[str, list[ControlEdge]] = defaultdict(list)
        for edge in sorted(job.control_edges, key=lambda e: e.order):
            src, dst = job.subflow_of[edge.src], job.subflow_of[edge.dst]
            if src != dst:
                self.edges_from[src].append(edge)
        self.started: set[tuple[str, Frame]] = set()
        self.spawned: list[asyncio.Task[None]] = []

    async def run(self) -> None:
        """Every root, then every spawned START task (their failures count)."""
        for root in self.engine.job.roots:
            if self.engine.halted:
                break
            await self.visit(root, (), None)
        while self.spawned:
            batch, self.spawned = self.spawned, []
            await asyncio.gather(*batch)

    async def visit(self, sub_id: str, frame: Frame, it: IterInfo | None) -> None:
        """Run a sub flow (with retries) and then, depth first, what its edges lead to."""
        if (sub_id, frame) in self.started:
            return
        self.started.add((sub_id, frame))
        ok, items = restore_subflow(self.engine, sub_id, frame)
        if not ok:
            ok, items = await self._attempt(sub_id, frame, it)
            if ok:
                save_subflow(self.engine, sub_id, frame, items)
        if not ok:
            self.engine.failed = True
        for _, group in groupby(self.edges_from[sub_id], key=lambda e: e.order):
            edges = list(group)
            await asyncio.gather(*(self._take(e, frame, it, ok, items) for e in edges))
        if not ok and self.settings.get("fail_strategy", "halt") == "halt":
            self.engine.halted = True

    async def _attempt(
        self, sub_id: str, frame: Frame, it: IterInfo | None
    ) -> tuple[bool, list[Any] | None]:
        retries = int(self.settings.get("retries") or 0)
        delay = float(self.settings.get("retry_delay") or 0)
        for attempt in range(retries + 1):
            if attempt:
                wait = delay * 2 ** (attempt - 1)
                self.engine.recorder.event(
                    "retry",
                    level="WARNING",
                    sub_flow=sub_id,
                    message=f"attempt {attempt + 1} of {retries + 1} in {wait:g}s",
                )
                await asyncio.sleep(wait)
            ok, items = await run_subflow(self.engine, sub_id, frame, it)
            if ok:
                return ok, items
        return False, None

    async def _take(
        self, edge: ControlEdge, frame: Frame, it: IterInfo | None, ok: bool, items: Any
    ) -> None:
        if (edge.type == "error") == ok or (self.engine.halted and ok):
            return
        target = self.engine.job.subflow_of[edge.dst]
        if edge.condition and not self._condition(edge, target, frame, it):
            return
        if edge.type == "iterate":
            await self._iterate(edge, target, frame, items)
        elif edge.type == "start":
            self.spawned.append(asyncio.create_task(self.visit(target, frame, it)))
        else:
            await self.visit(target, frame, it)

    def _condition(self, edge: ControlEdge, target: str, frame: Frame, it: IterInfo | None) -> bool:
        expression = strip_braces(edge.condition or "")
        key = ".".join(str(i) for i in frame)
        try:
            if self.engine.templater.evaluate(
                expression, key, it, seconds=self.engine.seconds_left()
            ):
                return True
            reason = f"condition is false: {edge.condition}"
        except Exception as exc:
            self.engine.failed = True
            reason = f"condition could not be evaluated: {exc}"
        skip_subflow(self.engine, target, frame, reason)
        return False

    async def _iterate(self, edge: ControlEdge, target: str, frame: Frame, items: Any) -> None:
        """Run the target's scope once per item; up to ``parallel`` items at a time."""
        items = list(items or [])
        limit = asyncio.Semaphore(edge.parallel)

        async def one(i: int, item: Any) -> None:
            async with limit:
                if not self.engine.halted:
                    await self.visit(target, (*frame, i), IterInfo(item, i, len(items)))

        if edge.parallel == 1:
            for i, item in enumerate(items):
                await one(i, item)
        else:
            await asyncio.gather(*(one(i, item) for i, item in enumerate(items)))
