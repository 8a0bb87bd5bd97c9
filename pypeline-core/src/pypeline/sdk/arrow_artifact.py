"""``ArrowArtifact``: an output kept as the Arrow table it was made as, pandas on demand.

pyarrow reads CSV (and a filter can select rows) without pandas; a pandas DataFrame is what the
modules downstream are promised. Converting eagerly costs a copy of every column and, in a job
that never touches pandas, pandas' import. A Parquet sink needs neither: it writes Arrow. So
Arrow-aware modules hand this artifact (a ``pypeline.DataArtifact``) on: ``to_pandas`` converts
once, on first demand, to exactly the frame an eager conversion would give, and ``to_arrow``
lets an Arrow-aware consumer skip pandas altogether.

After the pandas conversion the table is dropped (a consumer still holding it keeps its own
reference): the frame is the copy that stays, and ``to_arrow`` then rebuilds a table from it,
which shares the text columns' memory and costs milliseconds.
"""

from __future__ import annotations

import itertools
import threading
from typing import TYPE_CHECKING

from pypeline.sdk.artifact import ArtifactBase

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

_ids = itertools.count(1)


class ArrowArtifact(ArtifactBase):
    """An Arrow table with a lazy, cached, thread-safe conversion to pandas."""

    def __init__(self, table: pa.Table, name: str = "") -> None:
        super().__init__(f"memory://{name or f'arrow-{next(_ids)}'}")
        self._table: pa.Table | None = table
        self._frame: pd.DataFrame | None = None
        self._rows = int(table.num_rows)
        self._lock = threading.Lock()

    def to_arrow(self) -> pa.Table:
        """The rows as Arrow, without going through pandas while that was never asked for."""
        with self._lock:
            if self._table is not None:
                return self._table
            frame = self._frame
        import pyarrow as pa

        return pa.Table.from_pandas(frame, preserve_index=False)

    @property
    def converted(self) -> bool:
        """Whether pandas asked already: the frame exists, the table is gone."""
        return self._frame is not None

    def to_pandas(self) -> pd.DataFrame:
        with self._lock:
            if self._frame is None:
                assert self._table is not None
                self._frame = self._table.to_pandas(split_blocks=True)
                self._table = None
            return self._frame

    @property
    def n_rows(self) -> int:
        return self._rows
