"""The run orchestrator: a job folder in, a finished run with its records out (SPEC §6, §8).

Reads like its table of contents: load the job, choose the context, open the run records, build
the engine (thread pool, artifacts, templater, globals), let the scheduler walk the sub flows
under the job timeout, tear every module down, write the summary, say how it ended.
"""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pypeline.run.assemble import make_engine, scheduler_class
from pypeline.run.checkpoint.checkpoint import open_checkpoint
from pypeline.run.dask_cluster import check_dask, dask_cluster
from pypeline.run.deployment import effective_settings, secret_options
from pypeline.run.execution.engine import Engine
from pypeline.run.job import load_job
from pypeline.run.observe.logging import RunRecorder
from pypeline.run.observe.redact import current_redactor
from pypeline.run.options import RunOptions, context_variables
from pypeline.run.templater.secrets import secret_resolvers

EXIT_CODES = {"success": 0, "failed": 1, "interrupted": 130}


@dataclass(frozen=True)
class RunResult:
    """How a run ended: status, exit code, where its records are, and its summary."""

    status: str
    exit_code: int
    run_id: str
    run_dir: Path
    summary: dict[str, Any]
    log_format: str = "console"


def run_job(job_dir: str | Path, options: RunOptions | None = None) -> RunResult:
    """Run a built job folder to the end."""
    options = options or RunOptions()
    job = load_job(Path(job_dir))
    variables = context_variables(job, options)
    config = effective_settings(job.settings_given, options.cli_settings())
    threads = config["threads"].value
    scheduler = scheduler_class(config["scheduler"].value)
    check_dask(config, job.settings.get("execution_mode", "pandas"))
    # bad resolver options stop the run here (exit 2), before anything is written
    resolvers = secret_resolvers(secret_options(config))
    redactor = current_redactor()  # the CLI's, so it can redact what escapes the run
    checkpoint, restored, run_id = open_checkpoint(
        job.dir / "checkpoints",
        bool(job.settings.get("checkpoint", True)),
        job.flow_sha256,
        options.resume,
        options.fresh,
        new_run_id(),
    )
    if checkpoint is not None:
        checkpoint.redactor = redactor  # secrets never reach the journal
    run_dir = job.dir / "runs" / run_id
    log_format = config["log.format"].value
    log_file = config["log.file"].value
    recorder = RunRecorder(
        job.name,
        run_id,
        run_dir,
        console="quiet" if options.quiet else log_format,
        log_file=Path(log_file) if log_file else None,
        redactor=redactor,
    )
    engine = make_engine(job, run_id, variables, config, recorder, redactor, resolvers)
    engine.checkpoint, engine.restored = checkpoint, restored
    if restored is not None:
        engine.store.restore(restored.globals)
    started = datetime.now(UTC)
    how = "resumed from checkpoint" if restored else f"context {options.context}"
    recorder.event("job_start", message=f"{how}, {threads} threads")
    engine.hooks.pypeline_job_start(job=job.name, run_id=run_id, job_dir=str(job.dir))
    status, error = "interrupted", None
    try:
        with dask_cluster(config, engine.execution_mode) as cluster:
            if cluster:
                recorder.event("log", message=f"dask: {cluster}")
            status, error = asyncio.run(_main(engine, scheduler, job.settings.get("timeout")))
    except KeyboardInterrupt:
        error = "interrupted by the user"
    finally:
        engine.threads.pool.shutdown(wait=status != "interrupted", cancel_futures=True)
        engine.artifacts.cleanup()
        if checkpoint is not None and status == "success":
            checkpoint.remove()
        elif checkpoint is not None:
            checkpoint.close()
    _mark_unreached(engine)
    level = "INFO" if status == "success" else "ERROR"
    recorder.event("job_end", level=level, status=status, message=error)
    summary = engine.summary.write(
        run_dir / "summary.json",
        job.name,
        run_id,
        status,
        started,
        datetime.now(UTC),
        extra={"error": error, "context": options.context},
    )
    engine.hooks.pypeline_job_end(job=job.name, run_id=run_id, status=status, summary=summary)
    recorder.close()
    return RunResult(status, EXIT_CODES[status], run_id, run_dir, summary, log_format)


async def _main(
    engine: Engine, scheduler_cls: Any, timeout: float | None
) -> tuple[str, str | None]:
    """Schedule under the job timeout; always tear down what was set up."""
    scheduler = scheduler_cls(engine)
    try:
        await asyncio.wait_for(scheduler.run(), timeout)
    except TimeoutError:
        engine.failed = True
        return "failed", f"job timed out after {timeout:g}s"
    finally:
        await engine.teardown()
    return ("failed", "one or more modules failed") if engine.failed else ("success", None)


def _mark_unreached(engine: Engine) -> None:
    """Modules that never ran (not reached, halted, condition false) are recorded skipped."""
    from pypeline.run.execution.topo import skip_node

    recorded = engine.summary.nodes
    for node_id in engine.job.nodes:
        if node_id not in recorded and not any(r.startswith(node_id + "#") for r in recorded):
            skip_node(engine, node_id, (), "not reached")


def new_run_id() -> str:
    """Sortable to the millisecond and unique: ``20261127T045901123Z-3fa2c1``."""
    now = datetime.now(UTC)
    stamp = now.strftime("%Y%m%dT%H%M%S") + f"{now.microsecond // 1000:03d}Z"
    return f"{stamp}-{secrets.token_hex(3)}"
