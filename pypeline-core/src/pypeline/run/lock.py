"""One run of a job at a time (SPEC §6): an OS lock on ``<job>/run.lock``.

Two runs of one job would write the same outputs, checkpoint and append ledgers at once. The
lock is ``fcntl.flock`` on a file that is never deleted, so there is no race between unlinking
and locking, and the kernel releases it when the holding process dies, however it dies: a
killed run never leaves a stale lock. The holder writes its pid and run id into the locked
file, so the run that is refused can say which run holds the job.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pypeline.shared.errors import UsageError

LOCK_NAME = "run.lock"


class RunLock:
    """Held for the whole run; ``release`` (or process death) frees the job."""

    def __init__(self, job_dir: Path) -> None:
        self.path = job_dir / LOCK_NAME
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock or raise a usage error (exit 2) naming the run that holds it."""
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise UsageError(
                f"cannot open the job's lock file {self.path}: {exc.strerror}"
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(fd)
            os.close(fd)
            raise UsageError(
                f"job {self.path.parent.name} is already running: {_describe(holder)}",
                "wait for it to finish; one run of a job at a time",
            ) from None
        self._fd = fd
        self.describe(None)

    def describe(self, run_id: str | None) -> None:
        """Write who holds the lock (pid, host, start, run id once it is known)."""
        if self._fd is None:
            return
        info = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "run_id": run_id,
            "since": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, json.dumps(info).encode("utf-8"), 0)

    def release(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, 0)
            os.close(self._fd)  # closing the descriptor releases the flock
            self._fd = None

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _read_holder(fd: int) -> dict[str, Any]:
    try:
        data = os.pread(fd, 4096, 0)
        found = json.loads(data) if data.strip() else {}
        return found if isinstance(found, dict) else {}
    except (OSError, ValueError):
        return {}


def _describe(holder: dict[str, Any]) -> str:
    if not holder:
        return "another process is starting a run of it"
    parts = [f"pid {holder.get('pid')}"]
    if holder.get("host") and holder["host"] != socket.gethostname():
        parts.append(f"on {holder['host']}")
    parts.append(f"run {holder['run_id']}" if holder.get("run_id") else "run id not yet chosen")
    if holder.get("since"):
        parts.append(f"since {holder['since']}")
    return ", ".join(parts)
