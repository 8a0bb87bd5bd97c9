"""Checkpoints: what a crashed run needs to resume where it stopped (SPEC §6).

After every sub flow that succeeds (in every iteration frame) one record goes to the journal:
the sub flow and its frame, its modules' records, the globals set since the last record, and the
``items`` an ITERATE edge will loop over. A resumed run replays the records: globals come back,
finished sub flows are restored instead of run, and iterations start at the first unfinished
item with the very item list of the first run.

A run that ends appends an end record (``finished`` on success, ``ended`` with its status on
failure) before anything else happens, and a successful run removes the folder only as its very
last step: a run killed between its end and its exit is known to have finished, so ``--resume``
does nothing instead of starting over (which would append an append-mode sink's rows twice).
ITERATE items that hold a secret are never written: the sub flow that produced them is marked
``items_withheld`` and runs again on resume, to produce them anew.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pypeline.run.checkpoint.journal import Journal
from pypeline.run.observe.redact import Redactor
from pypeline.sdk.context import Frame
from pypeline.shared.errors import UsageError


@dataclass
class Restored:
    """What a resumed run takes from the journal."""

    run_id: str
    done: dict[tuple[str, Frame], dict[str, Any]] = field(default_factory=dict)
    globals: list[list[Any]] = field(default_factory=list)


class Checkpoint:
    """The ``<job>/checkpoints/`` folder of one job."""

    def __init__(self, folder: Path, redactor: Redactor | None = None) -> None:
        self.folder = folder
        self.journal = Journal(folder / "journal.jsonl")
        self._parts = 0
        #: Masks resolved secrets in every record (a resumed run sees ``***`` there).
        self.redactor = redactor

    def existing(self) -> tuple[dict[str, Any], dict[str, Any] | None] | None:
        """The header and end record (None while unfinished) of the journal, or None."""
        if not self.journal.path.exists():
            return None
        try:
            records = self.journal.read()
        except ValueError as exc:
            raise UsageError(
                f"{self.journal.path}: {exc}", "discard it and start over with --fresh"
            ) from None
        if not records or records[0].get("kind") != "header":
            return None
        last = records[-1]
        return records[0], (last if last.get("kind") in ("finished", "ended") else None)

    def start(self, header: dict[str, Any]) -> None:
        self.journal.create({"kind": "header", **header})
        self.journal.open()

    def load(self) -> Restored:
        """Replay the journal of an interrupted run, and keep appending to it."""
        records = self.journal.read()
        restored = Restored(run_id=records[0]["run_id"])
        for record in records[1:]:
            if record.get("kind") != "subflow":
                continue
            restored.globals.extend(record.get("globals", []))
            key = (record["sub"], tuple(record["frame"]))
            restored.done[key] = record
            self._parts = max(self._parts, int(record.get("part", 0)))
        self.journal.open()
        self.journal.append({"kind": "resumed"})  # an earlier end record no longer holds
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
            if (
                self.redactor is not None
                and self.redactor.active
                and _holds_secret(self.redactor, items)
            ):
                record["items_withheld"] = True  # re-made on resume, never stored
            else:
                self._store_items(record, items)
        self.journal.append(record)

    def end(self, run_id: str, status: str) -> None:
        """Durably mark the run as ended, before its records and outputs are finalized."""
        kind = "finished" if status == "success" else "ended"
        self.journal.append({"kind": kind, "run_id": run_id, "status": status})
        self.journal.close()  # fdatasync: the end survives a kill or a power cut

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


def _holds_secret(redactor: Redactor, value: Any) -> bool:
    """Whether any text in ``value`` (keys included) would be masked: it carries a secret."""
    if value is None or isinstance(value, bool | int | float):
        return False
    if isinstance(value, str):
        return bool(redactor(value) != value)
    if isinstance(value, dict):
        return any(
            _holds_secret(redactor, k) or _holds_secret(redactor, v) for k, v in value.items()
        )
    if isinstance(value, list | tuple | set | frozenset):
        return any(_holds_secret(redactor, item) for item in value)
    return _holds_secret(redactor, str(value))
