"""``MemoryArtifact``: a pandas or Dask frame held in RAM.

The default home of a module's output. Conversions are lazy and cached where they are cheap
(pandas → Dask wraps without copying rows); a Dask → pandas conversion computes, and happens
only when a module asks for pandas.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import dask.dataframe as dd
    import pandas as pd

_ids = itertools.count(1)


def is_dask(obj: Any) -> bool:
    """True for a Dask DataFrame, without importing dask when it was never imported."""
    return type(obj).__module__.startswith("dask")


class MemoryArtifact:
    """Holds one frame; satisfies ``pypeline.DataArtifact``."""

    def __init__(self, frame: pd.DataFrame | dd.DataFrame, name: str = "") -> None:
        self._frame = frame
        self._uri = f"memory://{name or next(_ids)}"

    def to_pandas(self) -> pd.DataFrame:
        if is_dask(self._frame):
            return self._frame.compute()
        return self._frame

    def to_dask(self) -> dd.DataFrame:
        if is_dask(self._frame):
            return self._frame
        import dask.dataframe as dd

        from_pandas: Any = dd.from_pandas  # dask leaves it unannotated
        ddf: dd.DataFrame = from_pandas(self._frame, npartitions=_partitions(len(self._frame)))
        return ddf

    def to_frame(self, mode: str) -> pd.DataFrame | dd.DataFrame:
        return self.to_dask() if mode == "dask" else self.to_pandas()

    @property
    def n_rows(self) -> int:
        if is_dask(self._frame):
            return int(self._frame.shape[0].compute())
        return len(self._frame)

    @property
    def uri(self) -> str:
        return self._uri

    def release(self) -> None:
        """Nothing to clean up in RAM; present so every backend can be released alike."""


def _partitions(rows: int, rows_per_partition: int = 1_000_000) -> int:
    return max(1, -(-rows // rows_per_partition))
