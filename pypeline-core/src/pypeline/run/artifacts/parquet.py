"""``ParquetArtifact``: a frame spilled to local Parquet so it no longer holds RAM.

The artifact manager writes one here when an output is too large (rows or process RAM share) to
keep in memory. A pandas frame becomes one file written by pyarrow; a Dask frame becomes a
directory of part files written partition by partition by ``to_parquet``, so spilling a
larger-than-RAM Dask frame never collects it in one process. The index is not kept (it is not
data in a flow), and the row count comes from the Parquet footers, so asking for it reads no rows.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pypeline.sdk.artifact import is_dask

if TYPE_CHECKING:
    import dask.dataframe as dd
    import pandas as pd

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _part_name(index: int) -> str:
    """Zero-padded part names, so a plain sorted listing is the partition order."""
    return f"part.{index:06d}.parquet"


def _data_files(path: Path) -> list[Path]:
    """The data files of a spill: the file itself, or a directory's part files in order.

    Names starting with ``_`` or ``.`` (``_metadata``, ``_common_metadata``, temp files) are
    skipped, as pyarrow's dataset discovery does.
    """
    if path.is_file():
        return [path]
    return sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith(("_", ".")))


class ParquetArtifact:
    """A frame persisted as Parquet; satisfies ``pypeline.DataArtifact``."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @classmethod
    def write(
        cls, frame: pd.DataFrame | dd.DataFrame, spill_dir: Path, name: str
    ) -> ParquetArtifact:
        """Persist ``frame`` under ``spill_dir`` as ``<name>.parquet`` (a file or a directory).

        The name is reduced to filesystem-safe characters (node ids carry ``#``); an existing
        target is refused rather than silently overwritten, since it belongs to another output.
        """
        spill_dir = Path(spill_dir)
        spill_dir.mkdir(parents=True, exist_ok=True)
        stem = _UNSAFE.sub("_", name).strip("._") or "artifact"
        target = spill_dir / f"{stem}.parquet"
        if target.exists():
            raise FileExistsError(f"spill target already exists: {target}")
        if is_dask(frame):
            frame.to_parquet(str(target), write_index=False, name_function=_part_name)
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq

            pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), target)
        return cls(target)

    def to_pandas(self) -> pd.DataFrame:
        """Read every row into one pandas frame with a fresh RangeIndex."""
        import pyarrow.parquet as pq

        table: Any = pq.read_table(self.path)
        frame: pd.DataFrame = table.to_pandas()
        return frame

    def to_dask(self) -> dd.DataFrame:
        """A lazy Dask frame over the file(s); nothing is read until it is computed."""
        import dask.dataframe as dd

        ddf: dd.DataFrame = dd.read_parquet(str(self.path))
        return ddf

    def to_frame(self, mode: str) -> pd.DataFrame | dd.DataFrame:
        return self.to_dask() if mode == "dask" else self.to_pandas()

    @property
    def n_rows(self) -> int:
        """Sum of the row counts in the Parquet footers: no data page is read."""
        import pyarrow.parquet as pq

        return sum(int(pq.read_metadata(p).num_rows) for p in _data_files(self.path))

    @property
    def uri(self) -> str:
        return str(self.path)

    def release(self) -> None:
        """Delete the spilled file or directory; releasing twice is harmless."""
        if self.path.is_dir():
            shutil.rmtree(self.path, ignore_errors=True)
        else:
            self.path.unlink(missing_ok=True)

    def __repr__(self) -> str:
        return f"ParquetArtifact({self.uri!r})"
