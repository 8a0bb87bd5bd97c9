"""``pypeline.testing``: pytest fixtures for module and plugin authors (tox's ``tox.pytest``).

Installed as a pytest plugin with the core. ``pypeline_flow`` writes a flow YAML into a temporary
folder, builds and runs it in-process, and returns a ``FlowRun`` with everything a test wants to
assert on: the exit code, the summary, the events of ``log.jsonl`` and the job folder. Imports
of the engine happen inside the fixture, so merely having the plugin installed costs nothing.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest


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
    flow_text: str, workdir: Path, context: str = "default", overrides: tuple[str, ...] = ()
) -> FlowRun:
    """Write ``flow.yaml`` in ``workdir``, build it into ``workdir/jobs`` and run it there."""
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
            built.job_dir, RunOptions(context=context, overrides=overrides, quiet=True)
        )
    finally:
        os.chdir(before)
    lines = (result.run_dir / "log.jsonl").read_text(encoding="utf-8").splitlines()
    return FlowRun(
        status=result.status,
        exit_code=result.exit_code,
        job_dir=built.job_dir,
        run_dir=result.run_dir,
        summary=result.summary,
        events=[json.loads(line) for line in lines],
    )


@pytest.fixture
def pypeline_flow(tmp_path: Path) -> Callable[..., FlowRun]:
    """``pypeline_flow(yaml_text, context=..., overrides=...)`` → ``FlowRun`` in ``tmp_path``."""

    def _run(flow_text: str, **kwargs: Any) -> FlowRun:
        return run_flow(flow_text, tmp_path, **kwargs)

    return _run
