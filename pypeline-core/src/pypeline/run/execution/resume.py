"""The scheduler's two touch points with checkpoints: save a finished sub flow, restore one.

Kept apart from the scheduler so that priority-DFS reads the same with checkpoints on or off,
and beside the engine rather than in ``checkpoint/``: the checkpoint package keeps the journal
and knows nothing of a run's engine, so the dependency goes one way (execution → checkpoint).
"""

from __future__ import annotations

from typing import Any

from pypeline.run.execution.engine import Engine
from pypeline.sdk.context import Frame, node_id_for


def restore_subflow(engine: Engine, sub_id: str, frame: Frame) -> tuple[bool, list[Any] | None]:
    """``(True, items)`` when a resumed run finds the sub flow done; ``(False, None)`` else."""
    if engine.restored is None or engine.checkpoint is None:
        return False, None
    record = engine.restored.done.get((sub_id, frame))
    if record is None or record.get("items_withheld"):
        return False, None  # withheld items (they held a secret) are made again by a re-run
    for node_id, fields in record["nodes"].items():
        engine.summary.record(node_id, **{**fields, "status": "restored"})
    fields = {"sub_flow": sub_id, "status": "restored", "message": "restored from checkpoint"}
    if frame:
        fields["iter_index"] = frame[-1]
    engine.recorder.event("subflow_skipped", **fields)
    return True, engine.checkpoint.items_of(record)


def save_subflow(engine: Engine, sub_id: str, frame: Frame, items: list[Any] | None) -> None:
    """Journal a sub flow that just succeeded in ``frame``."""
    if engine.checkpoint is None:
        return
    members = engine.job.subflows[sub_id].members
    nodes = engine.summary.records_of([node_id_for(m, frame) for m in members])
    engine.checkpoint.record(sub_id, frame, nodes, engine.store.drain(), items)
    fields: dict[str, Any] = {"sub_flow": sub_id}
    if frame:
        fields["iter_index"] = frame[-1]
    engine.recorder.event("checkpoint", level="DEBUG", **fields)
