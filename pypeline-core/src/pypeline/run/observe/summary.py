"""``RunSummary``: the per-node outcome of a run, written as ``summary.json`` (SPEC §8).

``log.jsonl`` tells the story event by event; ``summary.json`` is the one file a scheduler, a
test or a person opens to learn how the run ended: the job's status and, for each node id, its
status, rows and time. It is written atomically (temp file + ``os.replace``), so a reader never
sees half a summary, even when the run is killed while writing it.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

from pypeline.run.observe.redact import Redactor

STATUSES = ("success", "failed", "skipped", "restored")


class RunSummary:
    """Collects one record per node id as the run goes; thread-safe."""

    def __init__(self, redactor: Redactor | None = None) -> None:
        self.redactor = redactor if redactor is not None else Redactor()
        self._lock = threading.Lock()
        self._nodes: dict[str, dict[str, Any]] = {}

    def record(self, node_id: str, **fields: Any) -> None:
        """Add or update a node's record; the node keeps the place it was first recorded at.

        The usual fields are ``module``, ``sub_flow``, ``status``, ``rows_in``, ``rows_out``,
        ``duration_s``, ``error``, ``iter_index``; others (a skip reason's ``message``) are kept
        too. Updating lets the engine record ``module`` at start and the outcome at the end.
        None values are dropped; a status outside SPEC §8's four is an engine bug, so it raises.
        """
        status = fields.get("status")
        if status is not None and status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
        with self._lock:
            node = self._nodes.setdefault(node_id, {})
            node.update({k: v for k, v in fields.items() if v is not None})

    @property
    def nodes(self) -> dict[str, dict[str, Any]]:
        """A copy of the records so far, in first-recorded order."""
        with self._lock:
            return {node_id: dict(rec) for node_id, rec in self._nodes.items()}

    def records_of(self, node_ids: list[str]) -> dict[str, dict[str, Any]]:
        """Copies of the records of just these nodes (those recorded): cheap inside a loop."""
        with self._lock:
            return {n: dict(self._nodes[n]) for n in node_ids if n in self._nodes}

    def counts(self) -> dict[str, int]:
        """Nodes per status; every status is present, 0 when no node has it."""
        counts = dict.fromkeys(STATUSES, 0)
        for rec in self.nodes.values():
            if "status" in rec:
                counts[rec["status"]] += 1
        return counts

    def write(
        self,
        path: Path,
        job: str,
        run_id: str,
        status: str,
        started: datetime,
        ended: datetime,
        extra: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Write the summary to ``path`` (or ``path/summary.json`` for a directory); return it.

        ``extra`` adds top-level keys (e.g. the run's error or context) without replacing the
        ones this method owns. The returned dict is what was written, redacted.
        """
        summary: dict[str, Any] = {
            "job": job,
            "run_id": run_id,
            "status": status,
            "started": started.isoformat(),
            "ended": ended.isoformat(),
            "duration_s": round((ended - started).total_seconds(), 3),
            "counts": self.counts(),
            "nodes": self.nodes,
        }
        summary |= {k: v for k, v in (extra or {}).items() if k not in summary}
        clean: dict[str, Any] = self.redactor.scrub(summary)
        target = Path(path)
        if target.is_dir():
            target = target / "summary.json"
        _write_atomically(target, json.dumps(clean, indent=2, ensure_ascii=False) + "\n")
        return clean


def _write_atomically(target: Path, text: str) -> None:
    """Write to a temp file beside ``target``, fsync, then rename it over ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
