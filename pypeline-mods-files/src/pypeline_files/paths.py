"""Where a file module reads or writes: one resolved fsspec location per configured path.

Every file module accepts a local path or an fsspec URL (``s3://``, ``memory://``, ...). Resolving
once, here, gives them the same rules: a relative local path is taken relative to the working
directory at run time (that of ``pype run``), and errors name the path exactly as the user wrote
it. fsspec is imported inside ``locate`` so that plugin discovery does not pay for it.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fsspec import AbstractFileSystem


@dataclass(frozen=True)
class Location:
    """A configured path, resolved: the filesystem, its native path and the user's spelling."""

    fs: AbstractFileSystem
    #: The filesystem's own path: protocol stripped; absolute for local files.
    path: str
    #: The path as configured, for messages.
    given: str

    @property
    def is_local(self) -> bool:
        """Local files are handed to pyarrow and ``os`` directly: faster, and truly atomic."""
        protocol = self.fs.protocol
        protocols = (protocol,) if isinstance(protocol, str) else tuple(protocol)
        return "file" in protocols or "local" in protocols

    @property
    def url(self) -> str:
        """What to give a library that resolves paths itself (Dask): plain path or full URL."""
        return self.path if self.is_local else str(self.fs.unstrip_protocol(self.path))

    @property
    def name(self) -> str:
        return posixpath.basename(self.path.rstrip("/"))

    @property
    def parent(self) -> str:
        return str(self.fs._parent(self.path))

    def sibling(self, name: str) -> Location:
        """A path in the same directory: temporary outputs must share the target's filesystem."""
        return Location(self.fs, f"{self.parent.rstrip('/')}/{name}", name)

    def exists(self) -> bool:
        return bool(self.fs.exists(self.path))

    def is_dir(self) -> bool:
        return bool(self.fs.isdir(self.path))


def locate(path: str) -> Location:
    """Resolve a configured path or URL (relative local paths against the working directory)."""
    from fsspec.core import url_to_fs

    if not isinstance(path, str) or not path.strip():
        raise ValueError(f"expected a file path or URL, got {path!r}")
    fs, native = url_to_fs(path)
    return Location(fs, str(native), path)


def require_file(location: Location, module: str, *, allow_dir: bool = False) -> int:
    """The file's size in bytes; a clear ``FileNotFoundError`` naming the path when it is absent.

    ``allow_dir`` accepts a directory (size 0 then): Parquet datasets written in Dask mode are
    directories of part files.
    """
    if not location.exists():
        raise FileNotFoundError(f"{module}: no such file: {location.given}")
    if location.is_dir():
        if allow_dir:
            return 0
        raise IsADirectoryError(f"{module}: is a directory, not a file: {location.given}")
    return int(location.fs.size(location.path) or 0)


def require_directory(location: Location, module: str) -> None:
    """Refuse a missing directory or a plain file with a message naming the path."""
    if not location.exists():
        raise FileNotFoundError(f"{module}: no such directory: {location.given}")
    if not location.is_dir():
        raise NotADirectoryError(f"{module}: not a directory: {location.given}")
