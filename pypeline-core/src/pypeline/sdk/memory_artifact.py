"""``MemoryArtifact``: a pandas or Dask frame held in RAM.

The default home of a module's output. Conversions are lazy and cached where they are cheap
(pandas → Dask wraps without copying rows); a Dask → pandas conversion computes, and happens
only when a module asks for pandas.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from pypeline.sdk.artifact import ArtifactBase, is_dask

if TYPE_CHECKING:
    import dask.dataframe as dd
    import pandas as pd

_ids = itertools.count(1)


class MemoryArtifact(ArtifactBase):
    """Holds one frame; satisfies ``pypeline.DataArtifact``."""

    def __init__(self, frame: pd.DataFrame | dd.DataFrame, name: str = "") -> None:
        super().__init__(f"memory://{name or next(_ids)}")
        self._frame = frame

    def to_pandas(self) -> pd.DataFrame:
        if is_dask(self._frame):
            return self._frame.compute()
        return self._frame

    def to_dask(self) -> dd.DataFrame:
        if is_dask(self._frame):
            return self._frame
        return super().to_dask()

    @property
    def n_rows(self) -> int:
        if is_dask(self._frame):
            return int(self._frame.shape[0].compute())
        return len(self._frame)
