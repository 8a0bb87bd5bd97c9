"""The run orchestrator: a job folder in, a finished run with its records out (SPEC §6, §8).

Reads like its table of contents: load the job, check what the user asked for, take the job's
run lock, remove what a killed run left behind, meet the checkpoint (start, resume or refuse),
open the run records, build the engine, let the scheduler walk the sub flows under the job
timeout, tear every module down, mark the end durably, write the summary, say how it ended.
"""

from __future__ import annotations

import asyncio
import secrets
from datetime import UTC, datetime
from pathlib import Path

from pypeline.run.assemble import artifact_backend, make_engine, scheduler_class
from pypeline.run.checkpoint.opening import Opened, open_checkpoint
from pypeline.run.dask_cluster import check_dask, dask_cluster
from pypeline.run.deployment import Setting, effective_settings, secret_options
from pypeline.run.execution.engine import SchedulerClass
from pypeline.run.leftovers import Leftovers
from pypeline.run.lock import RunLock
from pypeline.run.observe.recorder import RecordsError, check_log_file
from pypeline.run.observe.redact import Redactor, current_redactor
from pypeline.run.options import RunOptions, asked_inputs, context_variables
from pypeline.run.outcome import (
    EXIT_CODES,
    RunResult,
    already_finished,
    mark_unreached,
    swept_message,
)
from pypeline.run.stopping import release_threads, schedule
from pypeline.run.templater.secrets import secret_resolvers
from pypeline.sdk.secrets import SecretResolver
from pypeline.sdk.temporaries import stop_tracking, tracking
from pypeline.shared.jobfolder.jobfolder import load_job
from pypeline.shared.jobfolder.model import Job


def run_job(
    job_dir: str | Path, options: RunOptions | None = None, lock: RunLock | None = None
) -> RunResult:
    """Run a built job folder to the end; ``lock`` is the job's run lock if already held."""
    options = options or RunOptions()
    job = load_job(Path(job_dir))
    asked = asked_inputs(options)
    if asked is not None:
        context_variables(job, asked)  # a bad --context or --set stops here: nothing written
    config = effective_settings(job.settings_given, options.cli_settings())
    scheduler = scheduler_class(config["scheduler"].value)
    artifact_backend(config["artifacts.backend"].value)  # unknown or clashing: exit 2, no write
    check_dask(config, job.settings.get("execution_mode", "pandas"))
    # bad resolver options stop the run here (exit 2), before anything is written
    resolvers = secret_resolvers(secret_options(config))
    if config["log.file"].value:
        check_log_file(Path(config["log.file"].value))  # before anything is written
    redactor = current_redactor()  # the CLI's, so it can redact what escapes the run
    held = lock or RunLock(job.dir)
    if lock is None:
        held.acquire()
    try:
        leftovers = Leftovers(job.dir / "temporaries.txt")
        swept = leftovers.sweep()  # under the lock: no other run of the job is writing
        opened = open_checkpoint(
            job.dir / "checkpoints",
            bool(job.settings.get("checkpoint", True)),
            job.flow_sha256,
            options.resume,
            options.fresh,
            new_run_id(),
            asked,
            redactor,  # secrets never reach the journal
        )
        if opened.finished is not None:
            return already_finished(job, opened)
        held.describe(opened.run_id)
        token = tracking(leftovers.track)
        try:
            return _run(job, options, opened, config, scheduler, resolvers, redactor, swept)
        finally:
            stop_tracking(token)
            leftovers.sweep()
    finally:
        held.release()


def _run(
    job: Job,
    options: RunOptions,
    opened: Opened,
    config: dict[str, Setting],
    scheduler: SchedulerClass,
    resolvers: dict[str, SecretResolver],
    redactor: Redactor,
    swept: list[str],
) -> RunResult:
    """The run itself, once the lock is held and the checkpoint decided."""
    engine = make_engine(job, opened, config, resolvers, redactor, options.quiet)
    checkpoint, recorder, run_id = engine.checkpoint, engine.recorder, engine.run_id
    run_dir, log_format = recorder.run_dir, config["log.format"].value
    started = datetime.now(UTC)
    how = "resumed from checkpoint" if engine.restored else opened.inputs.describe()
    recorder.event("job_start", message=f"{how}, {config['threads'].value} threads")
    if swept:
        recorder.event("log", level="WARNING", message=swept_message(swept))
    engine.hooks.job_start(job=job.name, run_id=run_id, job_dir=str(job.dir))
    status, abandoned = "interrupted", False
    error: str | None = "interrupted by the user"
    try:
        with dask_cluster(config, engine.execution_mode) as cluster:
            if cluster:
                recorder.event("log", message=f"dask: {cluster}")
            status, error = asyncio.run(schedule(engine, scheduler, job.settings.get("timeout")))
    except KeyboardInterrupt:
        pass
    finally:
        abandoned = release_threads(engine, wait=status != "interrupted" and not engine.stop_reason)
        engine.artifacts.cleanup()
        if checkpoint is not None:
            checkpoint.end(run_id, status)  # durable before the records say it ended
    mark_unreached(engine)
    level = "INFO" if status == "success" else "ERROR"
    recorder.event("job_end", level=level, status=status, message=error)
    inputs = {"context": opened.inputs.context, "overrides": opened.inputs.overrides}
    try:
        summary = engine.summary.write(
            run_dir / "summary.json",
            job.name,
            run_id,
            status,
            started,
            datetime.now(UTC),
            extra={"error": error, **inputs},
        )
    except OSError as exc:
        recorder.close()
        raise RecordsError(f"cannot write {run_dir / 'summary.json'}: {exc.strerror}") from None
    engine.hooks.job_end(job=job.name, run_id=run_id, status=status, summary=summary)
    recorder.close()
    if checkpoint is not None and status == "success":
        checkpoint.remove()  # the very last step: until here a resume knows the run finished
    if recorder.write_error:
        raise RecordsError(recorder.write_error)
    return RunResult(status, EXIT_CODES[status], run_id, run_dir, summary, log_format, abandoned)


def new_run_id() -> str:
    """Sortable to the millisecond and unique: ``20261127T045901123Z-3fa2c1``."""
    now = datetime.now(UTC)
    stamp = now.strftime("%Y%m%dT%H%M%S") + f"{now.microsecond // 1000:03d}Z"
    return f"{stamp}-{secrets.token_hex(3)}"
