"""The workers of the file operation modules: expand paths and globs, copy, move, delete.

Every operation takes fsspec locations, so a flow copies from a local folder to ``s3://`` or
``memory://`` with the same module. Within one local filesystem the standard library does
the work (``shutil.copy2`` keeps modification times; ``os.replace`` moves in one step);
elsewhere fsspec streams the bytes. A copy lands in a hidden temporary sibling first and is
renamed into place (``atomic``), so a failed copy never leaves a half-written target.
"""

from __future__ import annotations

import errno
import os
import shutil
from typing import TYPE_CHECKING, Any

from pypeline_files.atomic import atomic_output, check_replaceable, remove_quietly, replace
from pypeline_files.output_marks import MARKER, mark_directory
from pypeline_files.paths import Location, locate

if TYPE_CHECKING:
    from fsspec import AbstractFileSystem

_GLOB_CHARS = set("*?[")
_CHUNK = 1 << 20


def as_list(spec: Any) -> list[str]:
    """A path option given as one string or a list of them."""
    return [spec] if isinstance(spec, str) else [str(item) for item in spec or []]


def check_paths(config: dict[str, Any], key: str) -> list[tuple[str, str]]:
    """Build-time check of a path option: a non-empty string or list of non-empty strings."""
    if key not in config:
        return []
    value = config[key]
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not values:
        return [(key, f"must be a path, a glob or a list of them, got {value!r}")]
    if not all(isinstance(item, str) and item.strip() for item in values):
        return [(key, f"every path must be a non-empty string, got {value!r}")]
    return []


def is_pattern(spec: str) -> bool:
    return bool(_GLOB_CHARS & set(spec))


def expand(specs: list[str], module: str, missing_ok: bool) -> list[Location]:
    """Each path as is, each glob as its sorted matches. A path that does not exist, or a glob
    that matches nothing, is an error naming it, unless ``missing_ok``."""
    found: list[Location] = []
    for spec in specs:
        base = locate(spec)
        if is_pattern(spec):
            matches = sorted(str(path) for path in base.fs.glob(base.path))
            found += [Location(base.fs, path, _spell(base, path)) for path in matches]
            if not matches and not missing_ok:
                raise FileNotFoundError(f"{module}: no file matches {spec}")
        elif base.exists():
            found.append(base)
        elif not missing_ok:
            raise FileNotFoundError(f"{module}: no such file or directory: {spec}")
    return found


def child(directory: Location, name: str) -> Location:
    """``name`` inside ``directory``, on the same filesystem."""
    path = f"{directory.path.rstrip('/')}/{name}"
    return Location(directory.fs, path, f"{directory.given.rstrip('/')}/{name}")


def copy(source: Location, target: Location, module: str) -> None:
    """Copy a file or a whole directory onto ``target`` (replacing it, if PYpeline may:
    ``atomic``), via a temporary sibling so the target is never half-written. A copied
    directory carries PYpeline's mark, so a later run may replace it."""
    with atomic_output(target, module, directory=source.is_dir()) as temp:
        if source.is_local and temp.is_local:
            if source.is_dir():
                shutil.copytree(source.path, temp.path)
            else:
                shutil.copy2(source.path, temp.path)
        elif source.is_dir():
            for path in source.fs.find(source.path, withdirs=False):
                relative = str(path)[len(source.path.rstrip("/")) + 1 :]
                _stream(source.fs, str(path), temp.fs, f"{temp.path}/{relative}")
        else:
            _stream(source.fs, source.path, temp.fs, temp.path)


def move(source: Location, target: Location, module: str) -> None:
    """Move a file or directory onto ``target``: a rename where the filesystem has one (local,
    same device), else a copy followed by deleting the source. Replacing follows ``copy``'s
    rule; a moved directory gets PYpeline's mark (written into it just before the rename)."""
    check_replaceable(target, module, directory=source.is_dir())
    target.fs.makedirs(target.parent, exist_ok=True)
    if (source.is_local and target.is_local) or source.fs is target.fs:
        marker = _mark(source, module)
        try:
            replace(source, target, module)
            return
        except OSError as err:
            if marker is not None:
                remove_quietly(marker)
            if not source.is_local or err.errno != errno.EXDEV:  # EXDEV: copy, then delete
                raise
    copy(source, target, module)
    delete(source, recursive=True)


def delete(location: Location, *, recursive: bool) -> None:
    """Delete a file, or a directory with everything in it when ``recursive``."""
    if location.is_dir() and not recursive:
        raise IsADirectoryError(
            f"file_delete: {location.given} is a directory (set recursive: true to delete it)"
        )
    if location.is_local:
        if os.path.isdir(location.path) and not os.path.islink(location.path):
            shutil.rmtree(location.path)
        else:
            os.unlink(location.path)
        return
    location.fs.rm(location.path, recursive=recursive)


def _mark(source: Location, module: str) -> Location | None:
    """Mark a directory about to be moved as PYpeline's output; its mark, or None for a file
    or a directory that cannot be written into (it moves unmarked: a later run may not
    replace it)."""
    if not source.is_dir():
        return None
    try:
        mark_directory(source, module)
    except OSError:
        return None
    return child(source, MARKER)


def _stream(source: AbstractFileSystem, path: str, target: AbstractFileSystem, to: str) -> None:
    """Copy one file's bytes between two (possibly different) filesystems."""
    target.makedirs(target._parent(to), exist_ok=True)
    with source.open(path, "rb") as reader, target.open(to, "wb") as writer:
        shutil.copyfileobj(reader, writer, _CHUNK)


def _spell(base: Location, path: str) -> str:
    """A glob match written the way the user wrote the glob: a plain path, or a URL."""
    return path if base.is_local else str(base.fs.unstrip_protocol(path))
