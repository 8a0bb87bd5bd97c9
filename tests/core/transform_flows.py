"""Small flows around one core transform, for the transforms' tests.

``validate_configs`` writes a flow holding one node per bad config and runs the real
``pype validate`` on it, so a test sees what a user sees: exit code 2 and one
``file:line:col: module 'id' (name): key: message`` line per problem (the load phase reports
them all at once, so one process checks many configs). ``run_transform`` feeds a transform from
``fixed_rows`` sources and runs the flow in-process, for run errors that must name the node.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from pypeline.testing import FlowRun, PypeResult

NODE = "t"


def validate_configs(
    pype: Callable[..., PypeResult], tmp_path: Path, module: str, configs: dict[str, Any]
) -> PypeResult:
    """``pype validate`` on a flow with a ``module`` node per entry of ``configs`` (id → configs)."""
    flow = {
        "flow": {"name": "bad_configs"},
        "modules": [{"id": i, "name": module, "configs": c} for i, c in configs.items()],
    }
    (tmp_path / "flow.yaml").write_text(yaml.safe_dump(flow, sort_keys=False), encoding="utf-8")
    return pype("validate", "flow.yaml")


def problem_lines(result: PypeResult) -> list[str]:
    """The ``file:line:col: message`` lines of a failed validation, without the position."""
    return [line.split(": ", 1)[1] for line in result.err.splitlines() if line.startswith("flow")]


def run_transform(
    pypeline_flow: Callable[..., FlowRun],
    module: str,
    configs: dict[str, Any],
    inputs: dict[str, list[dict[str, Any]]],
    mode: str = "pandas",
    outputs: tuple[str, ...] = ("output",),
) -> FlowRun:
    """Run ``fixed_rows`` (one per input port) → node ``t`` → a ``log_row`` per output port."""
    modules: list[dict[str, Any]] = [
        {"id": f"rows_{port}", "name": "fixed_rows", "configs": {"required": {"rows": rows}}}
        for port, rows in inputs.items()
    ]
    modules.append({"id": NODE, "name": module, "configs": configs})
    modules += [{"id": f"show_{port}", "name": "log_row"} for port in outputs]
    data = [f"rows_{port}.data - {NODE}.{port}" for port in inputs]
    data += [f"{NODE}.{port} - show_{port}.input" for port in outputs]
    flow = {
        "flow": {"name": "one_transform"},
        "settings": {"execution_mode": mode},
        "modules": modules,
        "connections": {"data": data},
    }
    return pypeline_flow(yaml.safe_dump(flow, sort_keys=False))


def error_of(run: FlowRun, node_id: str = NODE) -> str:
    """The error a failed node recorded in ``log.jsonl``."""
    ends = [e for e in run.of("module_end") if e["node_id"] == node_id]
    assert ends and ends[-1]["status"] == "failed", ends
    return str(ends[-1]["error"])
