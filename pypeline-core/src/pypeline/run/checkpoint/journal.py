"""An append-only journal of JSON lines: the checkpoint's storage (SPEC §6).

Why a journal and not a state file rewritten after every sub flow: a loop of 10,000 iterations
would rewrite an ever-growing state 10,000 times. Each record is one ``os.write`` of one line,
which the kernel keeps even if the process is killed with SIGKILL the instant after; a torn last
line (power cut mid-write) is ignored on reading. ``fdatasync`` runs at most every
``sync_interval`` seconds and when the journal is closed, so a power cut loses at most that much
progress, which a resumed run simply does again. The header is written atomically (temporary
file, fsync, rename): a journal either has its header or does not exist.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from pypeline.run.observe.recorder import RecordsError


class Journal:
    """Appends records to ``path``; reads them back, torn tail ignored."""

    def __init__(self, path: Path, sync_interval: float = 0.2) -> None:
        self.path = path
        self.sync_interval = sync_interval
        self._fd: int | None = None
        self._synced = 0.0

    def create(self, header: dict[str, Any]) -> None:
        """Start a new journal whose first line is ``header`` (replaces any old one)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".journal-", dir=self.path.parent)
        try:
            os.write(fd, _line(header))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, self.path)
        _sync_dir(self.path.parent)

    def open(self) -> None:
        """Open for appending (after ``create``, or to continue a resumed run)."""
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)
        self._synced = time.monotonic()

    def append(self, record: dict[str, Any]) -> None:
        """One record, one line, one write; synced to disk at most every ``sync_interval``."""
        if self._fd is None:
            self.open()
        assert self._fd is not None
        data = _line(record)
        size = os.fstat(self._fd).st_size
        try:
            written = os.write(self._fd, data)
        except OSError as exc:
            written, error = -1, exc.strerror or str(exc)
        if written != len(data):  # a full disk: cut back to the last whole record, say so
            os.ftruncate(self._fd, size)
            reason = error if written < 0 else "the disk is full (short write)"
            raise RecordsError(f"cannot write the checkpoint {self.path}: {reason}")
        now = time.monotonic()
        if now - self._synced >= self.sync_interval:
            os.fdatasync(self._fd)
            self._synced = now

    def close(self) -> None:
        if self._fd is not None:
            os.fdatasync(self._fd)
            os.close(self._fd)
            self._fd = None

    def read(self) -> list[dict[str, Any]]:
        """Every complete record, header first; a torn or garbled last line is dropped."""
        records = []
        lines = self.path.read_bytes().split(b"\n")
        for i, raw in enumerate(lines):
            if not raw.strip():
                continue
            try:
                records.append(json.loads(raw))
            except json.JSONDecodeError:
                if i < len(lines) - 2:
                    raise ValueError(f"checkpoint journal is corrupt at line {i + 1}") from None
        return records


def _line(record: dict[str, Any]) -> bytes:
    return (json.dumps(record, separators=(",", ":"), default=str) + "\n").encode("utf-8")


def _sync_dir(folder: Path) -> None:
    """Make the rename itself durable."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
