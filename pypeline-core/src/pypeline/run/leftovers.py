"""The job's ledger of temporaries: what a killed run left behind is removed by the next one.

``pypeline.sdk.temporaries.track_temporary`` lands here. Each tracked URL is one line appended
with one ``os.write`` before the module goes on to create the file; the kernel keeps a written
line even when the process is killed the instant after, so under SIGKILL no temporary exists
without its line. (Not synced: a power cut may forget a line, and the price of a sync per
temporary, in a loop of 10,000 iterations, is too high for that case.) ``sweep`` removes every
listed path that still exists and empties the ledger; the run calls it when it starts (under
the run lock, so never while another run of the job is writing) and when it ends.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
from pathlib import Path


class Leftovers:
    """``<job>/temporaries.txt``: one tracked temporary per line."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def track(self, url: str) -> None:
        """Note ``url`` before it is created (called from any thread)."""
        line = (url.replace("\n", " ") + "\n").encode("utf-8")
        with self._lock:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line)
            finally:
                os.close(fd)

    def sweep(self) -> list[str]:
        """Remove every tracked temporary that still exists; return those removed."""
        with self._lock:
            try:
                urls = self.path.read_text(encoding="utf-8", errors="replace").splitlines()
            except FileNotFoundError:
                return []
            removed = [url for url in dict.fromkeys(urls) if url.strip() and _remove(url)]
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
            return removed


def _remove(url: str) -> bool:
    """Delete a file or folder, local or fsspec; False when it is already gone or unreachable."""
    if "://" not in url:
        if os.path.isdir(url) and not os.path.islink(url):
            shutil.rmtree(url, ignore_errors=True)
            return True
        if os.path.lexists(url):
            with contextlib.suppress(OSError):
                os.unlink(url)
                return True
        return False
    try:
        from fsspec.core import url_to_fs

        fs, path = url_to_fs(url)
        if not fs.exists(path):
            return False
        fs.rm(path, recursive=True)
        return True
    except Exception:  # an unreachable store must not stop the run that cleans up after another
        return False
