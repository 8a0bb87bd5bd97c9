"""Resume-safe appends: a hidden ledger beside the target remembers where each part began.

An ``append``-mode sink inside a loop adds one part per iteration. If the job is killed after a
part was appended but before its sub flow was checkpointed, the resumed run appends that part
again: a duplicate. The ledger (``.<name>.appends.json``) maps each part — the run id and the
node id with its iteration frame, e.g. ``write#3`` — to the byte offset where it starts. It is
written (atomically) *before* the data, so when the same part comes again in the same run the
file is cut back to that offset first: a re-run replaces its part instead of duplicating it.
A new run starts a new ledger. The ledger is written through a tracked temporary
(``atomic.temporary``), so a kill mid-write leaves nothing that outlives the next run.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pypeline_files.paths import Location


def ledger_of(target: Location) -> Location:
    return target.sibling(f".{target.name}.appends.json")


def prepare_append(target: Location, run_id: str, part: str) -> int | None:
    """Record where ``part`` starts; return the offset to cut the file at, or None for all."""
    ledger = ledger_of(target)
    state: dict[str, Any] = {"run_id": run_id, "parts": {}}
    if ledger.exists():
        with ledger.fs.open(ledger.path, "rb") as handle:
            found = json.loads(handle.read() or b"{}")
        if found.get("run_id") == run_id:
            state = found
    size = int(target.fs.size(target.path)) if target.exists() and not target.is_dir() else 0
    cut: int | None = state["parts"].get(part)
    if cut is not None:
        state["parts"] = {k: v for k, v in state["parts"].items() if v < cut}
    state["parts"][part] = cut if cut is not None else size
    target.fs.makedirs(target.parent, exist_ok=True)
    from pypeline_files.atomic import remove_quietly, replace, temporary

    temp = temporary(ledger)  # unique: two writers never share it; tracked for the sweep
    try:
        with temp.fs.open(temp.path, "wb") as handle:
            handle.write(json.dumps(state).encode("utf-8"))
        replace(temp, ledger, "csv_sink")
    except BaseException:
        remove_quietly(temp)
        raise
    return cut
