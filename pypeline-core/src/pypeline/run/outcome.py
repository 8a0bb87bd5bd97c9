"""How a run ended (``RunResult``), and the records of its end: unreached modules, a finished
run resumed, leftovers swept."""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypeline.run.checkpoint.opening import Opened
from pypeline.run.execution.engine import Engine
from pypeline.run.execution.subflow import skip_node
from pypeline.shared.jobfolder.model import Job

EXIT_CODES = {"success": 0, "failed": 1, "interrupted": 130}


@dataclass(frozen=True)
class RunResult:
    """How a run ended: status, exit code, where its records are, and its summary.

    ``abandoned_threads`` is set when blocking work outlived the job timeout: the CLI then
    exits without waiting for it. ``message`` says why nothing ran (a finished run resumed).
    """

    status: str
    exit_code: int
    run_id: str
    run_dir: Path
    summary: dict[str, Any]
    log_format: str = "console"
    abandoned_threads: bool = False
    message: str | None = None


def already_finished(job: Job, opened: Opened) -> RunResult:
    """``--resume`` of a run that had finished when it was stopped: nothing to do."""
    run_dir = job.dir / "runs" / opened.run_id
    summary: dict[str, Any] = {}
    with contextlib.suppress(OSError, ValueError):
        summary = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    message = f"run {opened.run_id} had already finished successfully: nothing to resume"
    return RunResult("success", 0, opened.run_id, run_dir, summary, message=message)


def swept_message(swept: list[str]) -> str:
    """The warning of a run that found what a killed earlier run left: the first three named."""
    shown = ", ".join(swept[:3]) + (f" and {len(swept) - 3} more" if len(swept) > 3 else "")
    return f"removed {len(swept)} temporary file(s) an earlier run of this job left: {shown}"


def mark_unreached(engine: Engine) -> None:
    """Modules that never ran (not reached, halted, condition false) are recorded skipped."""
    recorded = engine.summary.nodes
    for node_id in engine.job.nodes:
        if node_id not in recorded and not any(r.startswith(node_id + "#") for r in recorded):
            skip_node(engine, node_id, (), "not reached")
