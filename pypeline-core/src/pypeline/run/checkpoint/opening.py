"""How a run meets its job's checkpoint: start one, resume one, or refuse (SPEC §6).

The journal's header records what the run was started with: the flow's sha256, the context
and the ``--set`` values. A resume continues with exactly those; a resume asked with other
ones is refused, since a run whose outputs mix two inputs is worse than no run. A journal that
ends with a ``finished`` record belongs to a run that was killed after it finished: resuming it
has nothing to do (said once: the journal is then removed), and a plain run simply starts anew.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypeline.run.checkpoint.checkpoint import Checkpoint, Restored
from pypeline.run.observe.redact import Redactor
from pypeline.shared.errors import UsageError


@dataclass(frozen=True)
class Inputs:
    """What a run is started with, as the checkpoint header keeps it."""

    context: str
    overrides: dict[str, str]

    def describe(self) -> str:
        sets = " ".join(f"--set {k}={v}" for k, v in sorted(self.overrides.items()))
        return f"context '{self.context}'" + (f" and {sets}" if sets else ", no --set")


@dataclass(frozen=True)
class Opened:
    """The decision: a checkpoint (None when off), what to restore, the run id and inputs.

    ``finished`` is set (with the earlier run's id) when there is nothing left to resume.
    """

    checkpoint: Checkpoint | None
    restored: Restored | None
    run_id: str
    inputs: Inputs
    finished: str | None = None


def open_checkpoint(
    folder: Path,
    enabled: bool,
    flow_sha256: str,
    resume: bool,
    fresh: bool,
    new_run_id: str,
    asked: Inputs | None,
    redactor: Redactor | None = None,
) -> Opened:
    """Decide; ``asked`` is None when the user gave neither ``--context`` nor ``--set``.

    ``redactor`` masks the run's secrets in what the checkpoint writes.
    """
    inputs = asked or Inputs("default", {})
    if not enabled:
        return Opened(None, None, new_run_id, inputs)
    checkpoint = Checkpoint(folder, redactor)
    if fresh:  # discarded unread: --fresh also gets past a damaged journal
        shutil.rmtree(folder, ignore_errors=True)
    found = checkpoint.existing()
    finished = found is not None and found[1] is not None and found[1].get("kind") == "finished"
    if found is not None and finished and not resume:
        shutil.rmtree(folder, ignore_errors=True)
        found = None
    if found is None:
        checkpoint.start({"run_id": new_run_id, "flow_sha256": flow_sha256, **_header(inputs)})
        return Opened(checkpoint, None, new_run_id, inputs)
    header, end = found
    earlier = _inputs(header)
    if end is not None and end.get("kind") == "finished":
        shutil.rmtree(folder, ignore_errors=True)  # said once; the next run starts anew
        return Opened(None, None, header["run_id"], earlier, finished=header["run_id"])
    how = _how_it_ended(end)
    if not resume:
        raise UsageError(
            f"run {header['run_id']} of this job {how}; its checkpoint is in {folder}",
            "continue it with --resume, or discard it and start over with --fresh",
        )
    if header.get("flow_sha256") != flow_sha256:
        raise UsageError(
            f"run {header['run_id']} {how}, but the flow has changed since (its sha256 "
            "differs), so it cannot be resumed",
            "start over with --fresh",
        )
    if asked is not None and asked != earlier:
        raise UsageError(
            f"run {header['run_id']} was started with {earlier.describe()}; resuming it with "
            f"{asked.describe()} would mix two inputs in one run's outputs",
            "resume with the same values (plain --resume reuses them), or start over with --fresh",
        )
    restored = checkpoint.load()
    return Opened(checkpoint, restored, restored.run_id, earlier)


def _how_it_ended(end: dict[str, Any] | None) -> str:
    if end is None:
        return "was stopped before it ended (killed, or the machine went down)"
    return "was interrupted" if end.get("status") == "interrupted" else "failed"


def _header(inputs: Inputs) -> dict[str, Any]:
    return {"context": inputs.context, "overrides": dict(inputs.overrides)}


def _inputs(header: dict[str, Any]) -> Inputs:
    """A header of an older journal (no inputs recorded) reads as the default context."""
    overrides = header.get("overrides") or {}
    return Inputs(
        str(header.get("context", "default")), {str(k): str(v) for k, v in overrides.items()}
    )
