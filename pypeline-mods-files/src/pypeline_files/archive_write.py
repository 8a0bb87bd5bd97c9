"""Building zip and tar.gz archives from fsspec locations, for ``file_archive``.

``zipfile`` and ``tarfile`` do the format work; this module decides what goes in under which
name and streams each file from its filesystem, so sources on ``s3://`` need no local copy.
Members are added in sorted order with their modification times, so archiving the same files
twice gives the same listing. The archive is written to a temporary sibling and renamed
(``atomic``): a reader never sees a half-written archive.
"""

from __future__ import annotations

import shutil
import tarfile
import time
import zipfile
from dataclasses import dataclass
from typing import IO, Any

from pypeline_files.atomic import atomic_output
from pypeline_files.output_marks import is_bookkeeping
from pypeline_files.paths import Location

_CHUNK = 1 << 20
_ZIP_EPOCH = time.mktime((1980, 1, 1, 0, 0, 0, 0, 0, -1))  # zip cannot date files earlier


@dataclass(frozen=True)
class Member:
    """One file to archive: where it is, and its name inside the archive."""

    source: Location
    name: str
    size: int
    mtime: float


def format_of(path: str) -> str | None:
    """``zip`` for .zip, ``tar.gz`` for .tar.gz and .tgz; None for anything else."""
    lowered = path.lower()
    if lowered.endswith(".zip"):
        return "zip"
    if lowered.endswith((".tar.gz", ".tgz")):
        return "tar.gz"
    return None


def members(sources: list[Location], recursive: bool, exclude: Location) -> list[Member]:
    """A file is stored under its name; a directory's files under their path inside it
    (Talend's tFileArchive), sub-directories only when ``recursive``. Two files with one
    name inside the archive are refused rather than silently both stored. PYpeline's own
    files inside a folder (``output_marks.is_bookkeeping``) are left out."""
    found: dict[str, Member] = {}
    for source in sources:
        if source.is_dir():
            root = source.path.rstrip("/")
            listing = source.fs.find(root, withdirs=False, detail=True, maxdepth=None)
            for path, info in sorted(listing.items()):
                relative = str(path)[len(root) + 1 :]
                if is_bookkeeping(relative):  # temporaries, ledgers, marks: not data
                    continue
                if recursive or "/" not in relative:
                    file = Location(source.fs, str(path), f"{source.given.rstrip('/')}/{relative}")
                    _add(found, file, relative, info)
        else:
            _add(found, source, source.name, source.fs.info(source.path))
    return [member for name, member in sorted(found.items()) if member.source.path != exclude.path]


def write_archive(target: Location, fmt: str, files: list[Member]) -> int:
    """Write the archive atomically; returns its size in bytes."""
    with atomic_output(target, "file_archive") as temp:
        with temp.fs.open(temp.path, "wb") as handle:
            if fmt == "zip":
                _write_zip(handle, files)
            else:
                _write_tar(handle, files)
        size = int(temp.fs.size(temp.path) or 0)
    return size


def _write_zip(handle: IO[bytes], files: list[Member]) -> None:
    with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        for member in files:
            stamp = time.localtime(max(member.mtime, _ZIP_EPOCH))[:6]
            info = zipfile.ZipInfo(member.name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            with (
                member.source.fs.open(member.source.path, "rb") as reader,
                archive.open(info, "w", force_zip64=member.size > 2**31) as writer,
            ):
                shutil.copyfileobj(reader, writer, _CHUNK)


def _write_tar(handle: IO[bytes], files: list[Member]) -> None:
    with tarfile.open(fileobj=handle, mode="w:gz") as archive:
        for member in files:
            info = tarfile.TarInfo(member.name)
            info.size, info.mtime, info.mode = member.size, int(member.mtime), 0o644
            with member.source.fs.open(member.source.path, "rb") as reader:
                archive.addfile(info, reader)


def _add(found: dict[str, Member], file: Location, name: str, info: dict[str, Any]) -> None:
    if name in found:
        raise ValueError(
            f"file_archive: two files would be stored as {name!r}: "
            f"{found[name].source.given} and {file.given}"
        )
    found[name] = Member(file, name, int(info.get("size") or 0), _mtime(info))


def _mtime(info: dict[str, Any]) -> float:
    """Modification time from an fsspec ``info`` (local: mtime; memory: created); else now."""
    from datetime import datetime

    for key in ("mtime", "LastModified", "created", "last_modified"):
        value = info.get(key)
        if isinstance(value, int | float):
            return float(value)
        if isinstance(value, datetime):
            return value.timestamp()
    return time.time()
