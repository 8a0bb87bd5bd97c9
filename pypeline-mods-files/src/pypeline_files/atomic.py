"""Atomic outputs: write beside the target, then move into place in one step.

SPEC §3 promises that a killed or failed run never leaves a half-written output. Every sink
therefore writes to a hidden temporary sibling (same directory, so the same filesystem and a
rename rather than a copy) and only a finished write is moved onto the target. On failure the
temporary file or directory is removed and an existing output is left untouched.

Local files get ``os.replace`` (atomic on POSIX). A directory (a Dask Parquet dataset) cannot be
replaced in one call, so the old one is renamed aside first and deleted after the new one is in
place: the path briefly does not exist, but it never holds a mix of old and new parts. Object
stores have no rename at all; there we fall back to fsspec's ``mv`` (copy and delete), which is
as close as those stores allow.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pypeline_files.paths import Location


@contextlib.contextmanager
def atomic_output(target: Location) -> Iterator[Location]:
    """Yield a temporary sibling of ``target``; move it onto ``target`` when the block succeeds.

    Parent directories are created first, as Talend's "create directory if not exists" does.
    """
    target.fs.makedirs(target.parent, exist_ok=True)
    temp = target.sibling(_hidden_name(target.name, "tmp"))
    try:
        yield temp
        replace(temp, target)
    except BaseException:
        remove_quietly(temp)
        raise


@contextlib.contextmanager
def scratch_beside(target: Location, suffix: str) -> Iterator[Location]:
    """A hidden scratch path beside ``target`` (e.g. Dask's part files), always removed after."""
    scratch = target.sibling(_hidden_name(target.name, suffix))
    try:
        yield scratch
    finally:
        remove_quietly(scratch)


def replace(source: Location, target: Location) -> None:
    """Move ``source`` onto ``target``, replacing a file or a directory that is already there."""
    if not source.is_local:
        if target.exists():
            target.fs.rm(target.path, recursive=True)
        source.fs.mv(source.path, target.path, recursive=True)
        return
    either_dir = os.path.isdir(source.path) or os.path.isdir(target.path)
    if not either_dir or not os.path.lexists(target.path):
        os.replace(source.path, target.path)
        return
    backup = target.sibling(_hidden_name(target.name, "old"))
    os.rename(target.path, backup.path)
    try:
        os.rename(source.path, target.path)
    except BaseException:
        os.rename(backup.path, target.path)
        raise
    remove_quietly(backup)


def remove_quietly(location: Location) -> None:
    """Best-effort removal of a temporary file or directory; never hides the original error."""
    with contextlib.suppress(OSError):
        if location.is_local:
            if os.path.isdir(location.path) and not os.path.islink(location.path):
                shutil.rmtree(location.path)
            elif os.path.lexists(location.path):
                os.unlink(location.path)
        elif location.exists():
            location.fs.rm(location.path, recursive=True)


def _hidden_name(name: str, suffix: str) -> str:
    """``.<name>.<random>.<suffix>``: hidden, unique per write, and ignored by Parquet readers."""
    return f".{name}.{uuid.uuid4().hex[:12]}.{suffix}"
