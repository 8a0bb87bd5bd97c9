"""The handle a module receives on each input port.

A protocol rather than a base class: the engine's memory and Parquet artifacts and any third-party
backend satisfy it by shape, and a module never needs to know where the data lives.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    import dask.dataframe as dd
    import pandas as pd


@runtime_checkable
class DataArtifact(Protocol):
    """Opaque handle to tabular data with materialization helpers."""

    def to_pandas(self) -> pd.DataFrame:
        """The data as one pandas DataFrame (computes a Dask frame)."""
        ...

    def to_dask(self) -> dd.DataFrame:
        """The data as a Dask DataFrame (wraps a pandas frame without copying rows)."""
        ...

    def to_frame(self, mode: str) -> pd.DataFrame | dd.DataFrame:
        """The frame native to the run's ``execution_mode`` (``pandas`` or ``dask``)."""
        ...

    @property
    def n_rows(self) -> int:
        """Number of rows (may compute for Dask)."""
        ...

    @property
    def uri(self) -> str:
        """Where the data lives: ``memory://<id>`` or a Parquet file path."""
        ...
