"""Atomic outputs: write beside the target, then move into place in one step.

SPEC §3 promises that a killed or failed run never leaves a half-written output. Every sink
therefore writes to a hidden temporary sibling (same directory, so the same filesystem and a
rename rather than a copy) and only a finished write is moved onto the target. On failure the
temporary file or directory is removed and an existing output is left untouched.

Temporaries are named by ``pypeline.sdk.temporaries`` (``.<name>.<hex>.pype-tmp[-<purpose>]``)
and tracked *before* they are created, so that if the process is killed the next run of the job
removes them; ``file_list`` never lists them.

Replacing is refused where it would destroy what PYpeline did not write (SPEC §3): a
directory is replaced only if it holds PYpeline's mark, and a file is replaced by a
directory only if it is a Parquet file that ``parquet_sink`` wrote (``output_marks``). A
file over a file is an ordinary overwrite. The check runs before anything is written, and
again when the finished output is moved. Every directory output written here gets the mark.

Local files get ``os.replace`` (atomic on POSIX). A directory (a Parquet dataset) cannot be
replaced in one call, so the old one is renamed aside first and deleted after the new one is in
place: the path briefly does not exist, but it never holds a mix of old and new parts. Object
stores have no rename at all; there we fall back to fsspec's ``mv`` (copy and delete), which is
as close as those stores allow.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from typing import TYPE_CHECKING

from pypeline.sdk.temporaries import temporary_name, track_temporary
from pypeline_files.output_marks import mark_directory, written_by_pypeline

if TYPE_CHECKING:
    from pypeline_files.paths import Location


@contextlib.contextmanager
def atomic_output(target: Location, module: str, *, directory: bool = False) -> Iterator[Location]:
    """Yield a temporary sibling of ``target``; move it onto ``target`` when the block succeeds.

    ``directory`` says whether the output will be a directory, so that a refusal comes before
    the work. Parent directories are created first, as Talend's "create directory if not
    exists" does.
    """
    check_replaceable(target, module, directory=directory)
    target.fs.makedirs(target.parent, exist_ok=True)
    temp = temporary(target)
    try:
        yield temp
        if directory or _is_dir(temp):
            mark_directory(temp, module)
        replace(temp, target, module)
    except BaseException:
        remove_quietly(temp)
        raise


@contextlib.contextmanager
def scratch_beside(target: Location, purpose: str) -> Iterator[Location]:
    """A hidden scratch path beside ``target`` (e.g. Dask's part files), always removed after."""
    scratch = temporary(target, purpose)
    try:
        yield scratch
    finally:
        remove_quietly(scratch)


def temporary(target: Location, purpose: str = "") -> Location:
    """A new temporary sibling of ``target``, tracked for the run's sweep but not yet created."""
    temp = target.sibling(temporary_name(target.name, purpose))
    track_temporary(temp.url)
    return temp


def check_replaceable(target: Location, module: str, *, directory: bool) -> None:
    """Refuse to put a file or (``directory``) a directory where PYpeline may not replace
    what is there: a directory it did not write, or a file where a directory goes."""
    if not _exists(target):
        return
    is_dir = _is_dir(target)
    if not (is_dir or directory) or written_by_pypeline(target):
        return
    new = "a directory" if directory else "a file"
    if is_dir:
        raise IsADirectoryError(
            f"{module}: {target.given} is a directory that PYpeline did not write; refusing to "
            f"replace it with {new} (move it away or choose another path)"
        )
    raise FileExistsError(
        f"{module}: {target.given} is a file that PYpeline did not write; refusing to replace "
        f"it with a directory (move it away or choose another path)"
    )


def replace(source: Location, target: Location, module: str) -> None:
    """Move ``source`` onto ``target``, replacing a file, or a directory that PYpeline wrote
    (``check_replaceable``)."""
    check_replaceable(target, module, directory=_is_dir(source))
    if not source.is_local:
        if target.exists():
            target.fs.rm(target.path, recursive=True)
        source.fs.mv(source.path, target.path, recursive=True)
        return
    either_dir = os.path.isdir(source.path) or os.path.isdir(target.path)
    if not either_dir or not os.path.lexists(target.path):
        os.replace(source.path, target.path)
        return
    backup = temporary(target, "old")
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


def _exists(location: Location) -> bool:
    return os.path.lexists(location.path) if location.is_local else location.exists()


def _is_dir(location: Location) -> bool:
    return os.path.isdir(location.path) if location.is_local else location.is_dir()
