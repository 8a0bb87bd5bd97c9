"""Module globals by iteration frame: ``{{ <id>__<key> }}`` in templates.

Names are case-insensitive (SPEC §6). A read from a frame takes that frame's value first, else the
latest value written in any frame, so a loop body sees its own iteration's row count while a sub
flow after the loop sees the last one.
"""

from __future__ import annotations

import sys
import threading
from typing import Any


class GlobalStore:
    """Thread-safe store of module globals keyed by (frame, module id, key), all lower-cased."""

    def __init__(self) -> None:
        self._by_frame: dict[tuple[str, str, str], Any] = {}
        self._latest: dict[tuple[str, str], Any] = {}
        self._lock = threading.Lock()
        self._unsaved: list[list[Any]] = []

    def set(self, frame: str, module_id: str, key: str, value: Any) -> None:
        # interned: a loop of 10,000 iterations stores the same few names 100,000 times
        mod, k, frame = sys.intern(module_id.lower()), sys.intern(key.lower()), sys.intern(frame)
        with self._lock:
            self._by_frame[(frame, mod, k)] = value
            self._latest[(mod, k)] = value
            self._unsaved.append([frame, mod, k, value])

    def drain(self) -> list[list[Any]]:
        """Values set since the last drain, as ``[frame, module, key, value]``: a checkpoint's."""
        with self._lock:
            unsaved, self._unsaved = self._unsaved, []
        return unsaved

    def restore(self, entries: list[list[Any]]) -> None:
        """Put back values a checkpoint saved, in the order they were first set."""
        with self._lock:
            for frame, mod, k, value in entries:
                self._by_frame[(frame, mod, k)] = value
                self._latest[(mod, k)] = value

    def get(self, frame: str, module_id: str, key: str) -> Any:
        """This frame's value, else the latest; ``KeyError`` when never set."""
        mod, k = module_id.lower(), key.lower()
        with self._lock:
            if (frame, mod, k) in self._by_frame:
                return self._by_frame[(frame, mod, k)]
            return self._latest[(mod, k)]

    def in_frame(self, frame: str, module_id: str, key: str) -> Any:
        """The value set in exactly this frame, or None (no fallback to other frames)."""
        with self._lock:
            return self._by_frame.get((frame, module_id.lower(), key.lower()))

    def every(self, name: str) -> list[Any]:
        """``each("<id>__<key>")`` in templates: the value of every frame, in the order written.

        A loop's per-iteration counts, summed after the loop: ``each('keep__rows_rejected')
        | sum > 0``.
        """
        module_id, sep, key = name.partition("__")
        if not sep:
            raise KeyError(f"each() takes '<id>__<key>', not {name!r}")
        mod, k = module_id.lower(), key.lower()
        with self._lock:
            return [v for (_, m, kk), v in self._by_frame.items() if (m, kk) == (mod, k)]

    def snapshot(self) -> dict[str, Any]:
        """Latest values as ``{"<id>__<key>": value}`` (what checkpoints and summaries keep)."""
        with self._lock:
            return {f"{mod}__{k}": v for (mod, k), v in self._latest.items()}
