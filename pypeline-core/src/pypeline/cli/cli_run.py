"""``pype run``: run a job folder, or a flow YAML built on the fly (SPEC §7).

A flow given as TARGET is validated first, then built under its job's run lock, so a build
never rewrites the folder of a job that is running; the lock is handed to the run.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from pypeline.cli.errors import handle_errors


@click.command()
@click.argument("target", type=click.Path(path_type=Path))
@click.option(
    "--context",
    "context_name",
    default=None,
    help="Context whose variables templates see (default: default; on --resume, the "
    "resumed run's).",
)
@click.option(
    "--set",
    "overrides",
    multiple=True,
    metavar="KEY=VALUE",
    help="Override a context variable (repeatable).",
)
@click.option("--threads", type=click.IntRange(min=1), help="Size of the thread pool.")
@click.option(
    "--log-format",
    type=click.Choice(["console", "json"]),
    help="How progress is printed (default console; log.jsonl is always JSON).",
)
@click.option("--log-file", type=click.Path(dir_okay=False), help="Also write JSON lines here.")
@click.option(
    "--show-config",
    is_flag=True,
    help="Print the effective settings and where each came from; do not run.",
)
@click.option("--resume", is_flag=True, help="Continue the interrupted run from its checkpoint.")
@click.option("--fresh", is_flag=True, help="Discard an interrupted run's checkpoint; start over.")
@click.option(
    "--jobs-dir",
    default="jobs",
    show_default=True,
    type=click.Path(path_type=Path),
    help="Where a flow YAML given as TARGET is built.",
)
@handle_errors
def run(
    target: Path,
    context_name: str | None,
    overrides: tuple[str, ...],
    threads: int | None,
    log_format: str | None,
    log_file: str | None,
    show_config: bool,
    resume: bool,
    fresh: bool,
    jobs_dir: Path,
) -> None:
    """Run TARGET: a job folder, or a flow YAML built on the fly."""
    from pypeline.run.lock import RunLock
    from pypeline.run.options import RunOptions
    from pypeline.run.run import run_job
    from pypeline.shared.errors import UsageError

    if resume and fresh:
        raise UsageError("--resume and --fresh contradict each other: choose one")
    options = RunOptions(
        context=context_name,
        overrides=overrides,
        threads=threads,
        log_format=log_format,
        log_file=log_file,
        resume=resume,
        fresh=fresh,
    )
    lock: RunLock | None = None
    if target.is_file():
        target, lock = _build_for_run(target, jobs_dir, hold_lock=not show_config)
    elif not target.exists():
        raise UsageError(f"no such job folder or flow file: {target}")
    if show_config:
        from pypeline.cli.cli_config import print_config

        print_config(target, options)
        return
    result = run_job(target, options, lock=lock)
    if result.message:
        click.echo(result.message)
    elif result.log_format == "console":
        from pypeline.run.observe.console import render_table

        click.echo(render_table(result.summary))
    if result.abandoned_threads:  # blocking work outlived the timeout: do not wait for it
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(result.exit_code)
    sys.exit(result.exit_code)


def _build_for_run(flow: Path, jobs_dir: Path, hold_lock: bool) -> tuple[Path, Any]:
    """Build a flow given to ``pype run``, under its job's run lock (not while it runs)."""
    from pypeline.build.build import validate_flow, write_built
    from pypeline.run.lock import RunLock

    built = validate_flow(flow)
    lock = None
    if hold_lock:
        job_dir = jobs_dir / built.plan.flow["name"]
        try:
            job_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            from pypeline.shared.errors import UsageError

            raise UsageError(f"cannot create the job folder {job_dir}: {exc.strerror}") from None
        lock = RunLock(job_dir)
        lock.acquire()
    try:
        built = write_built(built, jobs_dir)
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    for warning in built.warnings:
        click.echo(warning.render(), err=True)
    assert built.job_dir is not None
    return built.job_dir, lock
