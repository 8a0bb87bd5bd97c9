"""Temporary outputs that never outlive the run that made them (SPEC §3).

Sinks write a hidden temporary sibling and rename it onto the target, so a killed run never
leaves a half-written output. But SIGKILL gives no chance to remove the temporary itself, and
a folder of forgotten ``.report.csv.1f3a….tmp`` files is data clutter that ``file_list`` would
then pick up. So every temporary has a name that says what it is (``temporary_name``, which
``is_temporary`` recognizes) and is *tracked* before it is created: the run appends its URL to a
ledger in the job folder. The next run of the job (resumed or fresh) first removes every tracked
path that still exists; a run that ends removes its own. A temporary that was renamed into place
no longer exists under its temporary name, so the sweep never touches a finished output.

Module authors call ``temporary_name`` and ``track_temporary``; outside a run (unit tests of a
module) tracking is a no-op.
"""

from __future__ import annotations

import contextvars
import re
import uuid
from collections.abc import Callable
from typing import Any

#: Every temporary's name holds this tag, so any listing can tell ours apart.
TEMP_TAG = "pype-tmp"
_TEMP_NAME = re.compile(r"^\..*\.[0-9a-f]{12}\." + TEMP_TAG + r"(-[A-Za-z0-9_]+)?$")

#: The current run's tracker: set by the engine for the run's tasks and threads.
_tracker: contextvars.ContextVar[Callable[[str], None] | None] = contextvars.ContextVar(
    "pypeline_temporaries", default=None
)


def temporary_name(name: str, purpose: str = "") -> str:
    """``.<name>.<12 hex>.pype-tmp[-<purpose>]``: hidden, unique per call, recognizable.

    Hidden (a leading dot) so that Parquet and Hive readers skip it; unique so that two writes
    of one target never share a temporary.
    """
    suffix = f"-{purpose}" if purpose else ""
    return f".{name}.{uuid.uuid4().hex[:12]}.{TEMP_TAG}{suffix}"


def is_temporary(name: str) -> bool:
    """Whether a file or folder name (not a path) is one of PYpeline's temporaries."""
    return bool(_TEMP_NAME.match(name.rstrip("/").rsplit("/", 1)[-1]))


def track_temporary(url: str) -> None:
    """Record ``url`` (a local path or fsspec URL) before creating it, so that no later run of
    the job finds it left over. Durable before it returns; a no-op outside a run."""
    tracker = _tracker.get()
    if tracker is not None:
        tracker(url)


def tracking(tracker: Callable[[str], None] | None) -> contextvars.Token[Any]:
    """Engine side: make ``tracker`` receive this context's ``track_temporary`` calls."""
    return _tracker.set(tracker)


def stop_tracking(token: contextvars.Token[Any]) -> None:
    """Engine side: undo ``tracking``."""
    _tracker.reset(token)
