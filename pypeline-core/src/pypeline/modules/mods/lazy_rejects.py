"""``RejectedRows``: a ``reject`` port whose rows are selected only if someone reads them.

Building the rejected rows of a 5,000,000-row input costs as much as the output itself, and
most flows never connect ``reject``. The artifact knows its row count up front (for
``rows_rejected`` and the run records) and selects the rows on first read.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import dask.dataframe as dd
    import pandas as pd


class RejectedRows:
    """The ``reject`` port in pandas mode: a ``DataArtifact`` that selects its rows on first read.

    Holds a function that selects them (over the input and the mask, not a copy); ``n_rows``
    is known without selecting
    anything. Thread-safe, since two downstream modules of one wave may read it at once.
    """

    def __init__(self, select: Callable[[], pd.DataFrame], n_rows: int, node_id: str) -> None:
        self._select: Callable[[], pd.DataFrame] | None = select
        self._rows: pd.DataFrame | None = None
        self._n_rows = n_rows
        self._uri = f"memory://{node_id}.reject"
        self._lock = threading.Lock()

    def to_pandas(self) -> pd.DataFrame:
        with self._lock:
            if self._rows is None:
                assert self._select is not None, "rejected rows read after release()"
                self._rows = self._select()
                self._select = None
            return self._rows

    def to_dask(self) -> dd.DataFrame:
        from pypeline.sdk.memory_artifact import MemoryArtifact

        return MemoryArtifact(self.to_pandas()).to_dask()

    def to_frame(self, mode: str) -> pd.DataFrame | dd.DataFrame:
        return self.to_dask() if mode == "dask" else self.to_pandas()

    @property
    def n_rows(self) -> int:
        return self._n_rows

    @property
    def uri(self) -> str:
        return self._uri

    def release(self) -> None:
        """Drop the input frame and mask (or the selected rows) once nobody needs them."""
        with self._lock:
            self._select, self._rows = None, None
