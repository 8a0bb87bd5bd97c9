"""Run one module once: render its configs, call ``run``, store its outputs, record it all.

A module's exception is caught here and becomes a ``failed`` record with the error text (a
run error names the node); everything else about the run goes on as the fail strategy says.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from typing import Any

from pypeline.run.execution.config_check import check_rendered_config, flow_line
from pypeline.run.execution.engine import Engine
from pypeline.run.execution.rejects import REJECT_PORT, RejectCount, account, check_policy
from pypeline.run.templater.templater import IterInfo
from pypeline.sdk.artifact import is_dask
from pypeline.sdk.context import Frame, RunContext, node_id_for
from pypeline.sdk.memory_artifact import MemoryArtifact
from pypeline.shared.jobfolder.model import Node

ITEMS_PORT = "items"


async def run_node(
    engine: Engine,
    node_id: str,
    frame: Frame,
    inputs: dict[str, Any],
    it: IterInfo | None = None,
) -> dict[str, Any] | None:
    """Outputs by port on success, ``None`` on failure (already recorded)."""
    node = engine.job.nodes[node_id]
    nid = node_id_for(node_id, frame)
    on_cancel: list[Callable[[], None]] = []
    ctx = engine.context(node_id, frame, it, on_cancel)
    fields: dict[str, Any] = {
        "node_id": nid,
        "module": node.module,
        "sub_flow": engine.job.subflow_of[node_id],
    }
    if frame:
        fields["iter_index"] = frame[-1]
    rows_in = _rows(inputs.values()) if inputs else None
    engine.recorder.event("module_start", **fields, rows_in=rows_in)
    started = time.perf_counter()
    counted = RejectCount(None, None, False)
    try:
        module = engine.modules.get(node_id)
        left = engine.seconds_left()
        module.config = engine.templater.render(node.configs, ctx.frame_key, it, seconds=left)
        where = flow_line(engine.job.name, node.line)
        check_rendered_config(type(module), node_id, module.config, where=where)
        await engine.modules.set_up(node_id, ctx)
        async with engine.exclusive():
            raw = await module.run(inputs, ctx)
            outputs = _store(engine, node, nid, raw)
        data_ports = [p for p in node.meta["output_ports"] if p not in (REJECT_PORT, ITEMS_PORT)]
        rows_out = _rows(outputs[p] for p in data_ports if p in outputs) if data_ports else None
        counted = await account(engine, ctx, node, outputs, fields)
        check_policy(counted, rows_in, rows_out, engine.job.settings.get("rejects") or {})
    except asyncio.CancelledError:
        _cancel(engine, nid, on_cancel)
        reason = engine.stop_reason or "interrupted by the user"
        _finish(engine, ctx, fields, "failed", rows_in, None, started, reason, counted)
        raise
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}" if not str(exc) else str(exc)
        _finish(engine, ctx, fields, "failed", rows_in, None, started, error, counted)
        return None
    _finish(engine, ctx, fields, "success", rows_in, rows_out, started, None, counted)
    return outputs


def _cancel(engine: Engine, nid: str, callbacks: list[Callable[[], None]]) -> None:
    """Tell the module's blocking work to stop (it registered how with ``ctx.on_cancel``)."""
    for callback in callbacks:
        try:
            callback()
        except Exception as exc:
            engine.recorder.event(
                "log", level="WARNING", node_id=nid, message=f"cancelling failed: {exc}"
            )


def _store(engine: Engine, node: Node, nid: str, raw: Any) -> dict[str, Any]:
    """Check the returned mapping and hand each frame to the artifact manager."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise TypeError(f"run() must return a dict of port → frame, not {type(raw).__name__}")
    ports = node.meta["output_ports"]
    outputs: dict[str, Any] = {}
    for port, value in raw.items():
        if port not in ports:
            raise ValueError(f"run() returned unknown port {port!r} (ports: {', '.join(ports)})")
        if port == ITEMS_PORT and isinstance(value, list):
            outputs[port] = value
        else:
            outputs[port] = engine.artifacts.register(value, name=f"{nid}.{port}")
    return outputs


def _finish(
    engine: Engine,
    ctx: RunContext,
    fields: dict[str, Any],
    status: str,
    rows_in: int | None,
    rows_out: int | None,
    started: float,
    error: str | None,
    counted: RejectCount,
) -> None:
    """The module run's end, everywhere it is read: its globals, the log, the summary, hooks."""
    duration = round(time.perf_counter() - started, 6)
    for key, value in (
        ("rows_in", rows_in),
        ("rows_out", rows_out),
        ("duration_s", duration),
        ("status", status),
        ("error", error),
    ):
        ctx.set_global(key, value)
    level = "ERROR" if error else "INFO"
    record = {**fields, "status": status, "rows_in": rows_in, "rows_out": rows_out}
    if counted.rows_rejected is not None:
        record["rows_rejected"] = counted.rows_rejected
    if counted.values_nulled:
        record["values_nulled"] = counted.values_nulled
    record.update(duration_s=duration, error=error)
    engine.recorder.event("module_end", level=level, **record, message=error)
    engine.summary.record(fields["node_id"], **{k: v for k, v in record.items() if k != "node_id"})
    engine.hooks.node_end(
        job=engine.job.name, run_id=engine.run_id, node_id=fields["node_id"], record=record
    )


def _rows(artifacts: Iterable[Any]) -> int | None:
    """Total rows, when known without computing a Dask graph."""
    total = 0
    for art in artifacts:
        if isinstance(art, list):
            total += len(art)
        elif isinstance(art, MemoryArtifact) and is_dask(art._frame):
            return None
        else:
            total += art.n_rows
    return total
