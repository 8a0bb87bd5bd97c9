"""Checkpoints: what a crashed run needs to resume where it stopped (SPEC §6).

After every sub flow that succeeds (in every iteration frame) one record goes to the journal:
the sub flow and its frame, its modules' records, the globals set since the last record, and the
``items`` an ITERATE edge will loop over. A resumed run replays the records: globals come back,
finished sub flows are restored instead of run, and iterations start at the first unfinished
item with the very item list of the first run. A successful run removes the folder.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pypeline.run.checkpoint.journal import Journal

Frame = tuple[int, ...]


@dataclass
class Restored:
    """What a resumed run takes from the journal."""

    run_id: str
    done: dict[tuple[str, Frame], dict[str, Any]] = field(default_factory=dict)
    globals: list[list[Any]] = field(default_factory=list)


class Checkpoint:
    """The ``<job>/checkpoints/`` folder of one job."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.journal = Journal(folder / "journal.jsonl")
        self._parts = 0
        #: Masks resolved secrets in every record (a resumed run sees ``***`` there).
        self.redactor: Any = None

    def existing(self) -> dict[str, Any] | None:
        """The header of an interrupted run's journal, or None."""
        if not self.journal.path.exists():
            return None
        records = self.journal.read()
        return records[0] if records and records[0].get("kind") == "header" else None

    def start(self, run_id: str, flow_sha256: str) -> None:
        self.journal.create({"kind": "header", "run_id": run_id, "flow_sha256": flow_sha256})
        self.journal.open()

    def load(self) -> Restored:
        """Replay the journal of an interrupted run, and keep appending to it."""
        records = self.journal.read()
        restored = Restored(run_id=records[0]["run_id"])
        for record in records[1:]:
            restored.globals.extend(record.get("globals", []))
            key = (record["sub"], tuple(record["frame"]))
            restored.done[key] = record
            self._parts = max(self._parts, int(record.get("part", 0)))
        self.journal.open()
        return restored

    def record(
        self,
        sub: str,
        frame: Frame,
        nodes: dict[str, dict[str, Any]],
        globals_set: list[list[Any]],
        items: list[Any] | None,
    ) -> None:
        """One finished sub flow instance."""
        record: dict[str, Any] = {"kind": "subflow", "sub": sub, "frame": list(frame)}
        if self.redactor is not None and self.redactor.active:
            nodes, globals_set = self.redactor.scrub(nodes), self.redactor.scrub(globals_set)
        record.update(nodes=nodes, globals=globals_set)
        if items is not None:
            self._store_items(record, items)
        self.journal.append(record)

    def items_of(self, record: dict[str, Any]) -> list[Any] | None:
        """The ``items`` list a restored sub flow produced in the first run."""
        if "items_file" in record:
            import pandas as pd

            frame = pd.read_parquet(self.folder / record["items_file"])
            rows: list[Any] = frame.to_dict(orient="records")
            return rows
        items: list[Any] | None = record.get("items")
        return items

    def close(self) -> None:
        self.journal.close()

    def remove(self) -> None:
        """A finished job leaves no checkpoint behind."""
        self.journal.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _store_items(self, record: dict[str, Any], items: list[Any]) -> None:
        """JSON when the items are plain; Parquet when they are rows with richer types."""
        try:
            json.dumps(items, allow_nan=False)
            record["items"] = items
            return
        except (TypeError, ValueError):
            pass
        import pandas as pd

        self._parts += 1
        name = f"items-{self._parts}.parquet"
        pd.DataFrame.from_records(items).to_parquet(self.folder / name, index=False)
        record.update(items_file=name, part=self._parts)


def open_checkpoint(
    folder: Path, enabled: bool, flow_sha256: str, resume: bool, fresh: bool, new_run_id: str
) -> tuple[Checkpoint | None, Restored | None, str]:
    """Decide how this run meets the job's checkpoint: start, resume, or refuse (SPEC §6).

    Returns the checkpoint (None when off), what to restore (None when starting fresh) and the
    run id: the interrupted run's when resuming, so its records continue in one folder.
    """
    from pypeline.build.errors import UsageError

    if not enabled:
        return None, None, new_run_id
    checkpoint = Checkpoint(folder)
    header = checkpoint.existing()
    if header is not None and fresh:
        shutil.rmtree(folder, ignore_errors=True)
        header = None
    if header is not None and not resume:
        raise UsageError(
            f"run {header['run_id']} of this job was interrupted; its checkpoint is in {folder}",
            "continue it with --resume, or discard it and start over with --fresh",
        )
    if header is not None and header.get("flow_sha256") != flow_sha256:
        raise UsageError(
            "the checkpoint was written by another build of this flow (the flow's sha256 "
            "differs), so it cannot be resumed",
            "start over with --fresh",
        )
    if header is not None:
        restored = checkpoint.load()
        return checkpoint, restored, restored.run_id
    checkpoint.start(new_run_id, flow_sha256)
    return checkpoint, None, new_run_id
