"""Run one sub flow: its modules in topological waves, each wave concurrently (SPEC §6).

Outputs travel along the sub flow's data edges as artifacts. When a module fails, the rest of
its wave finishes, the modules of later waves are recorded as skipped, and the sub flow fails.
"""

from __future__ import annotations

import asyncio
from typing import Any

from pypeline.run.execution.engine import Engine
from pypeline.run.execution.node import run_node
from pypeline.run.templater.templater import IterInfo
from pypeline.sdk.context import Frame, node_id_for


async def run_subflow(
    engine: Engine, sub_id: str, frame: Frame, it: IterInfo | None = None
) -> tuple[bool, list[Any] | None]:
    """Run every wave; return success and the ``items`` list an ITERATE edge would carry."""
    sub = engine.job.subflows[sub_id]
    fields = _fields(sub_id, frame)
    engine.recorder.event("subflow_start", **fields)
    outputs: dict[tuple[str, str], Any] = {}
    ok = True
    for i, wave in enumerate(sub.waves):
        results = await asyncio.gather(
            *(run_node(engine, n, frame, _inputs(engine, n, outputs), it) for n in wave)
        )
        for node_id, result in zip(wave, results, strict=True):
            for port, art in (result or {}).items():
                outputs[(node_id, port)] = art
        if any(r is None for r in results):
            ok = False
            for later in sub.waves[i + 1 :]:
                for node_id in later:
                    skip_node(engine, node_id, frame, "an upstream module failed")
            break
    items = _items(outputs)
    _release(outputs)
    engine.recorder.event(
        "subflow_end",
        level="INFO" if ok else "ERROR",
        **fields,
        status="success" if ok else "failed",
    )
    return ok, items


def skip_node(engine: Engine, node_id: str, frame: Frame, reason: str) -> None:
    """Record a module that did not run (status ``skipped``)."""
    nid = node_id_for(node_id, frame)
    node = engine.job.nodes[node_id]
    engine.summary.record(
        nid,
        module=node.module,
        sub_flow=engine.job.subflow_of[node_id],
        status="skipped",
        message=reason,
    )


def skip_subflow(engine: Engine, sub_id: str, frame: Frame, reason: str) -> None:
    """A ``subflow_skipped`` event and a skipped record for each of its modules."""
    engine.recorder.event(
        "subflow_skipped", **_fields(sub_id, frame), status="skipped", message=reason
    )
    for node_id in engine.job.subflows[sub_id].members:
        skip_node(engine, node_id, frame, reason)


def _inputs(engine: Engine, node_id: str, outputs: dict[tuple[str, str], Any]) -> dict[str, Any]:
    """What the node's incoming data edges carry, by its input port, from earlier waves."""
    return {
        e.dst_port: outputs[(e.src, e.src_port)]
        for e in engine.job.data_edges
        if e.dst == node_id and (e.src, e.src_port) in outputs
    }


def _items(outputs: dict[tuple[str, str], Any]) -> list[Any] | None:
    """The sub flow's ``items`` output as a list (a frame becomes a list of row dicts)."""
    for (_, port), value in outputs.items():
        if port == "items":
            if isinstance(value, list):
                return value
            records: list[Any] = value.to_pandas().to_dict(orient="records")
            return records
    return None


def _release(outputs: dict[tuple[str, str], Any]) -> None:
    """Spilled artifacts of a finished sub flow are no longer needed by anyone."""
    for art in outputs.values():
        release = getattr(art, "release", None)
        if release is not None:
            release()


def _fields(sub_id: str, frame: Frame) -> dict[str, Any]:
    """The fields of a sub flow's events: the iteration index only inside a loop."""
    fields: dict[str, Any] = {"sub_flow": sub_id}
    if frame:
        fields["iter_index"] = frame[-1]
    return fields
