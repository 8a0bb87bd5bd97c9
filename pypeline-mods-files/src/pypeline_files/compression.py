"""Compression chosen by file extension, for the text formats (CSV, JSON) read and written here.

Talend users tick "compress" on an output; here the name says it: ``orders.csv.gz`` is read and
written gzip-compressed, like ``pandas.read_csv`` and most command-line tools do. One table, one
set of rules for every module and both directions:

- gzip, bz2 and zstd go through pyarrow's C++ codecs (zstd needs no extra package that way);
  a local path is handed to pyarrow as a path, which decompresses while it reads in parallel.
- xz goes through the standard library's ``lzma`` (pyarrow has no xz codec).
- zip goes through ``zipfile``: an input archive must hold exactly one file (which one to read
  would otherwise be a guess); an output archive holds one file named like the output without
  ``.zip`` (``out.csv.zip`` holds ``out.csv``).
"""

from __future__ import annotations

import contextlib
import posixpath
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pypeline_files.paths import Location

#: file extension → codec name.
EXTENSIONS = {".gz": "gzip", ".bz2": "bz2", ".xz": "xz", ".zip": "zip", ".zst": "zstd"}
#: Codecs that pyarrow reads and writes natively.
_ARROW = {"gzip", "bz2", "zstd"}


def codec_of(path: str) -> str | None:
    """The codec the path's extension asks for (case-insensitive), or None for plain files."""
    return EXTENSIONS.get(posixpath.splitext(path.lower())[1])


def plain_name(path: str) -> str:
    """The name without its compression extension: ``a/out.csv.gz`` → ``out.csv``."""
    name = posixpath.basename(path.rstrip("/"))
    stem, ext = posixpath.splitext(name)
    return stem if ext.lower() in EXTENSIONS else name


def fsspec_codec(location: Location, module: str) -> str | None:
    """The codec for readers that decompress through fsspec (Dask's): our names are fsspec's.

    fsspec has zstd only with the ``zstandard`` package installed: without it, say so rather
    than let Dask parse compressed bytes as text. A zip archive is checked to hold one file.
    """
    from fsspec.compression import compr

    codec = codec_of(location.path)
    if codec is None:
        return None
    if codec not in compr:
        raise ValueError(
            f"{module}: reading {location.given} in dask mode needs the zstandard package "
            "(pip install zstandard); pandas mode reads .zst files with pyarrow"
        )
    if codec == "zip":
        with open_binary_input(location, module):
            pass  # refuses an archive of several files
    return codec


@contextlib.contextmanager
def open_input(location: Location, module: str) -> Iterator[Any]:
    """The decompressed bytes of ``location``: a local path that pyarrow can open itself (its
    own fast I/O, plain or gzip/bz2/zstd), else a binary file object."""
    codec = codec_of(location.path)
    if location.is_local and (codec is None or codec in _ARROW):
        yield location.path
        return
    with contextlib.ExitStack() as stack:
        raw = stack.enter_context(location.fs.open(location.path, "rb"))
        yield _decompressing(raw, codec, location, module, stack)


@contextlib.contextmanager
def open_binary_input(location: Location, module: str) -> Iterator[Any]:
    """Like ``open_input``, but always a file object (for readers that take no path)."""
    with contextlib.ExitStack() as stack:
        raw = stack.enter_context(location.fs.open(location.path, "rb"))
        yield _decompressing(raw, codec_of(location.path), location, module, stack)


@contextlib.contextmanager
def open_output(location: Location, codec: str | None, inner_name: str) -> Iterator[Any]:
    """A binary writer onto ``location`` compressing with ``codec``; ``inner_name`` names the
    member of a zip archive. Everything is flushed and closed when the block ends."""
    with contextlib.ExitStack() as stack:
        raw = stack.enter_context(location.fs.open(location.path, "wb"))
        if codec is None:
            yield raw
        elif codec in _ARROW:
            import pyarrow as pa

            stream = stack.enter_context(pa.CompressedOutputStream(raw, codec))
            yield stream
        elif codec == "xz":
            import lzma

            yield stack.enter_context(lzma.open(raw, "wb"))
        else:
            import zipfile

            archive = stack.enter_context(zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED))
            yield stack.enter_context(archive.open(inner_name, "w", force_zip64=True))


def _decompressing(
    raw: Any, codec: str | None, location: Location, module: str, stack: contextlib.ExitStack
) -> Any:
    if codec is None:
        return raw
    if codec in _ARROW:
        import pyarrow as pa

        return stack.enter_context(pa.CompressedInputStream(raw, codec))
    if codec == "xz":
        import lzma

        return stack.enter_context(lzma.open(raw, "rb"))
    import zipfile

    archive = stack.enter_context(zipfile.ZipFile(raw))
    members = [info for info in archive.infolist() if not info.is_dir()]
    if len(members) != 1:
        raise ValueError(
            f"{module}: {location.given} holds {len(members)} files; a compressed input must "
            "hold exactly one"
        )
    return stack.enter_context(archive.open(members[0]))
