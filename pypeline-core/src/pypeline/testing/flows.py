"""Flows built and run in-process, and the real ``pype`` CLI in a process: for flow-level tests.

``run_flow`` writes a flow YAML into a folder, builds and runs it there and returns a ``FlowRun``
with everything a test asserts on: the exit code, the summary, the events of ``log.jsonl`` and
the job folder. ``run_pype`` runs the CLI as a user does, for exit codes and messages. Engine
imports happen inside the functions, so importing this module costs nothing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class FlowRun:
    """What one run of a flow left behind."""

    status: str
    exit_code: int
    job_dir: Path
    run_dir: Path
    summary: dict[str, Any]
    events: list[dict[str, Any]]

    def of(self, event: str) -> list[dict[str, Any]]:
        """The events of one kind, in order."""
        return [e for e in self.events if e["event"] == event]

    def node(self, node_id: str) -> dict[str, Any]:
        """A node's record in ``summary.json``."""
        return dict(self.summary["nodes"][node_id])


def run_flow(
    flow_text: str,
    workdir: Path,
    context: str = "default",
    overrides: tuple[str, ...] = (),
    resume: bool = False,
) -> FlowRun:
    """Write ``flow.yaml`` in ``workdir``, build it into ``workdir/jobs`` and run it there.

    A checkpoint left by an earlier failed run is discarded unless ``resume`` is true.
    """
    from pypeline.build.build import build_flow
    from pypeline.run.options import RunOptions
    from pypeline.run.run import run_job

    workdir.mkdir(parents=True, exist_ok=True)
    flow = workdir / "flow.yaml"
    flow.write_text(flow_text, encoding="utf-8")
    before = Path.cwd()
    os.chdir(workdir)  # relative paths in flows are relative to where `pype run` starts
    try:
        built = build_flow(flow, workdir / "jobs")
        assert built.job_dir is not None
        result = run_job(
            built.job_dir,
            RunOptions(
                context=context, overrides=overrides, quiet=True, resume=resume, fresh=not resume
            ),
        )
    finally:
        os.chdir(before)
    return FlowRun(
        status=result.status,
        exit_code=result.exit_code,
        job_dir=built.job_dir,
        run_dir=result.run_dir,
        summary=result.summary,
        events=read_events(result.run_dir),
    )


@dataclass(frozen=True)
class PypeResult:
    """Exit code and output of one ``pype`` command."""

    code: int
    out: str
    err: str

    @property
    def output(self) -> str:
        return self.out + self.err


def run_pype(*args: str, cwd: Path, env: dict[str, str] | None = None) -> PypeResult:
    """``pype ARGS`` in ``cwd``, in a real process (as ``python -m pypeline``)."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("PYPELINE_DEBUG", None)
    proc = subprocess.run(
        [sys.executable, "-m", "pypeline", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return PypeResult(proc.returncode, proc.stdout, proc.stderr)


def read_events(run_dir: Path) -> list[dict[str, Any]]:
    """The events of a run's ``log.jsonl``, in order."""
    lines = (run_dir / "log.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def only_run_dir(job_dir: Path) -> Path:
    """The run folder of a job that ran once."""
    runs = sorted((job_dir / "runs").iterdir())
    assert len(runs) == 1, runs
    return runs[0]
