"""Writing JSON arrays and JSON Lines atomically, in both execution modes, for ``json_sink``.

Records are formatted by ``DataFrame.to_json(orient="records", lines=True)``: nulls as
``null``, UTF-8 text unescaped, dates as ISO 8601 (or epoch milliseconds, computed here). JSON
Lines is that text as is; an array puts the same records one per line between ``[`` and
``]``, so the file stays readable and diff-friendly, and both modes write the same bytes. The
frame is formatted in slices so a large one never exists twice in memory as one string.

Like ``csv_write``: the file is built in a temporary sibling and moved onto the target; Dask
mode writes one part per partition in parallel, then joins the parts in order. The target's
extension picks a compression (``compression``).
"""

from __future__ import annotations

import contextlib
import shutil
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from pypeline_files.atomic import atomic_output, scratch_beside

if TYPE_CHECKING:
    import dask.dataframe as dd
    import pandas as pd

    from pypeline_files.paths import Location

_SLICE = 100_000


@dataclass(frozen=True)
class JsonWriteOptions:
    """What ``json_sink``'s config says about the file to write."""

    lines: bool = False
    #: "iso" (ISO 8601 text) or "epoch" (milliseconds since 1970).
    date_format: str = "iso"


def records_text(frame: pd.DataFrame, options: JsonWriteOptions) -> bytes:
    """The rows as JSON Lines, UTF-8. Epoch dates are computed here: pandas deprecated its own
    ``date_format="epoch"``."""
    if options.date_format == "epoch":
        frame = _epoch_millis(frame)
    text: str = frame.to_json(orient="records", lines=True, date_format="iso", force_ascii=False)
    return text.encode("utf-8")


def _epoch_millis(frame: pd.DataFrame) -> pd.DataFrame:
    """Date columns as whole milliseconds since 1970-01-01 UTC (naive dates taken as UTC)."""
    import pandas as pd

    dates = [name for name in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[name])]
    if not dates:
        return frame
    frame = frame.copy()
    for name in dates:
        column = frame[name]
        if column.dt.tz is not None:
            column = column.dt.tz_convert("UTC").dt.tz_localize(None)
        frame[name] = ((column - pd.Timestamp(0)) // pd.Timedelta(milliseconds=1)).astype("Int64")
    return frame


def write_json_pandas(frame: pd.DataFrame, target: Location, options: JsonWriteOptions) -> int:
    """Write ``frame``; returns the number of rows written."""
    with atomic_output(target, "json_sink") as temp, _open(temp, target) as handle:
        joiner = _Joiner(handle, options.lines)
        for start in range(0, len(frame), _SLICE):
            joiner.add(records_text(frame.iloc[start : start + _SLICE], options))
        joiner.close()
    return len(frame)


def write_json_dask(frame: dd.DataFrame, target: Location, options: JsonWriteOptions) -> int:
    """Write a Dask frame through per-partition parts; returns the rows written."""
    import pandas as pd

    with atomic_output(target, "json_sink") as temp, scratch_beside(target, "parts") as parts:
        parts.fs.makedirs(parts.path, exist_ok=True)
        lazy: Any = frame  # Dask's map_partitions is untyped
        counts = lazy.map_partitions(
            _write_part, parts.url, options, meta=pd.Series(dtype="int64")
        ).compute()
        with _open(temp, target) as handle:
            joiner = _Joiner(handle, options.lines)
            for number in range(frame.npartitions):
                with parts.fs.open(_part_path(parts.path, number), "rb") as part:
                    if options.lines:
                        shutil.copyfileobj(part, handle, 1 << 20)
                    else:
                        for line in part:
                            joiner.add(line)
            joiner.close()
    return int(counts.sum())


class _Joiner:
    """Writes records given as JSON Lines text: as is, or as the items of one array."""

    def __init__(self, handle: IO[bytes], lines: bool) -> None:
        self._handle = handle
        self._lines = lines
        self._count = 0

    def add(self, text: bytes) -> None:
        if self._lines:
            self._handle.write(text)
            return
        for line in text.splitlines():
            if line:
                self._handle.write(b",\n" if self._count else b"[\n")
                self._handle.write(line)
                self._count += 1

    def close(self) -> None:
        if not self._lines:
            self._handle.write(b"\n]\n" if self._count else b"[]\n")


def _write_part(
    part: pd.DataFrame,
    folder: str,
    options: JsonWriteOptions,
    partition_info: dict[str, Any] | None = None,
) -> pd.Series:
    """Dask task: one partition as JSON Lines; its number orders the join."""
    import fsspec
    import pandas as pd

    if partition_info is None:  # without it every part would overwrite the first
        raise RuntimeError("json_sink: Dask did not pass the partition number")
    with fsspec.open(_part_path(folder, partition_info["number"]), "wb") as handle:
        handle.write(records_text(part, options) if len(part) else b"")
    return pd.Series([len(part)], dtype="int64")


def _part_path(folder: str, number: int) -> str:
    return f"{folder.rstrip('/')}/part-{number:06d}.jsonl"


def _open(temp: Location, target: Location) -> contextlib.AbstractContextManager[Any]:
    """A writer onto ``temp`` that compresses as ``target``'s extension asks (``.gz``, ...)."""
    from pypeline_files.compression import codec_of, open_output, plain_name

    return open_output(temp, codec_of(target.path), plain_name(target.path))
