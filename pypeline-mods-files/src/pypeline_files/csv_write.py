"""Writing CSV atomically, in both execution modes, for ``csv_sink``.

Every write builds the complete new file in a temporary sibling and moves it onto the target
(``atomic.py``). Appending is done the same way: the existing file is copied into the temporary
file and the new rows follow it, so a failed append leaves the old file exactly as it was. The
price is one copy of the existing file per append.

A ``.gz``, ``.bz2``, ``.xz``, ``.zip`` or ``.zst`` target is compressed (``compression``);
``csv_sink`` refuses to append to one.

Pandas mode is one ``DataFrame.to_csv`` into the temporary file. Dask mode writes one headerless
part per partition in parallel (each task also returns its row count, so the data is computed
once), then concatenates the parts after the header or the existing content.
"""

from __future__ import annotations

import codecs
import contextlib
import shutil
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from pypeline_files.atomic import atomic_output, check_replaceable, scratch_beside

if TYPE_CHECKING:
    import dask.dataframe as dd
    import pandas as pd

    from pypeline_files.paths import Location

_CHUNK = 1 << 20
#: Encodings that start a stream with a byte-order mark → the same without it, for text that
#: continues a file (appended rows, Dask parts after the first bytes).
_NO_BOM = {"utf-8-sig": "utf-8", "utf-16": "utf-16-le", "utf-32": "utf-32-le"}


@dataclass(frozen=True)
class CsvWriteOptions:
    """What ``csv_sink``'s config says about the file to write."""

    delimiter: str = ","
    header: bool = True
    append: bool = False
    encoding: str = "utf-8"
    #: ``(run id, node id)`` of this append, for the resume ledger; None outside a run.
    part: tuple[str, str] | None = None

    def to_csv_kwargs(self, *, continuing: bool) -> dict[str, Any]:
        """Keyword arguments of ``DataFrame.to_csv``; ``continuing`` = not at the file's start,
        where a byte-order mark must not be written again."""
        encoding = self.encoding
        if continuing:
            encoding = _NO_BOM.get(codecs.lookup(encoding).name, encoding)
        return {"sep": self.delimiter, "index": False, "encoding": encoding, "lineterminator": "\n"}


def write_csv_pandas(frame: pd.DataFrame, target: Location, options: CsvWriteOptions) -> int:
    """Write (or append) ``frame``; returns the number of rows written."""
    cut = _prepare(target, options)
    with atomic_output(target, "csv_sink") as temp, _open(temp, target) as handle:
        continuing = options.append and _copy_existing(target, handle, cut)
        frame.to_csv(
            handle,
            header=options.header and not continuing,
            **options.to_csv_kwargs(continuing=continuing),
        )
    return len(frame)


def write_csv_dask(frame: dd.DataFrame, target: Location, options: CsvWriteOptions) -> int:
    """Write (or append) a Dask frame through per-partition parts; returns the rows written."""
    import pandas as pd

    cut = _prepare(target, options)
    with atomic_output(target, "csv_sink") as temp, scratch_beside(target, "parts") as parts:
        parts.fs.makedirs(parts.path, exist_ok=True)
        lazy: Any = frame  # Dask's map_partitions is untyped
        counts = lazy.map_partitions(
            _write_part,
            parts.url,
            options.to_csv_kwargs(continuing=True),
            meta=pd.Series(dtype="int64"),
        ).compute()
        with _open(temp, target) as handle:
            continuing = options.append and _copy_existing(target, handle, cut)
            if not continuing:  # the header, or just the byte-order mark of utf-8-sig & co.
                header = pd.DataFrame(columns=frame.columns).to_csv(
                    index=False, sep=options.delimiter, lineterminator="\n"
                )
                handle.write((header if options.header else "").encode(options.encoding))
            for number in range(frame.npartitions):
                with parts.fs.open(_part_path(parts.path, number), "rb") as part:
                    shutil.copyfileobj(part, handle, _CHUNK)
    return int(counts.sum())


def _write_part(
    part: pd.DataFrame,
    folder: str,
    kwargs: dict[str, Any],
    partition_info: dict[str, Any] | None = None,
) -> pd.Series:
    """Dask task: write one partition without header; its number orders the concatenation."""
    import fsspec
    import pandas as pd

    if partition_info is None:  # without it every part would overwrite the first
        raise RuntimeError("csv_sink: Dask did not pass the partition number")
    number = partition_info["number"]
    with fsspec.open(_part_path(folder, number), "wb") as handle:
        part.to_csv(handle, header=False, **kwargs)
    return pd.Series([len(part)], dtype="int64")


def _part_path(folder: str, number: int) -> str:
    return f"{folder.rstrip('/')}/part-{number:06d}.csv"


def _open(temp: Location, target: Location) -> contextlib.AbstractContextManager[Any]:
    """A writer onto ``temp`` that compresses as ``target``'s extension asks (``.gz``, ...)."""
    from pypeline_files.compression import codec_of, open_output, plain_name

    return open_output(temp, codec_of(target.path), plain_name(target.path))


def _prepare(target: Location, options: CsvWriteOptions) -> int | None:
    """For an append in a run: the ledger's cut point (see ``append_ledger``). A target
    that may not be replaced is refused first, before the ledger is written beside it."""
    check_replaceable(target, "csv_sink", directory=False)
    if not options.append or options.part is None:
        return None
    from pypeline_files.append_ledger import prepare_append

    return prepare_append(target, *options.part)


def _copy_existing(target: Location, handle: IO[bytes], limit: int | None = None) -> bool:
    """Copy the target's current bytes (the first ``limit`` when given) into ``handle``; True
    when there were any.

    A last line without its line break gets one, so the first new row starts a line of its own.
    """
    if not target.exists() or target.is_dir():
        return False
    last = b""
    left = limit
    with target.fs.open(target.path, "rb") as existing:
        while chunk := existing.read(_CHUNK if left is None else min(_CHUNK, left)):
            handle.write(chunk)
            last = chunk[-1:]
            if left is not None:
                left -= len(chunk)
    if not last:
        return False
    if last != b"\n":
        handle.write(b"\n")
    return True
