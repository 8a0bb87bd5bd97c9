"""The handle a module receives on each input port, and a base for custom ones.

``DataArtifact`` is a protocol rather than a base class: the engine's memory and Parquet
artifacts and any third-party backend satisfy it by shape, and a module never needs to know
where the data lives. ``ArtifactBase`` is there for a pack that makes its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

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


def is_dask(obj: Any) -> bool:
    """True for a Dask DataFrame, without importing dask when it was never imported."""
    return type(obj).__module__.startswith("dask")


class ArtifactBase:
    """A base for custom artifacts (a pack's own storage): implement ``to_pandas`` and
    ``n_rows``; ``to_dask``, ``to_frame``, ``uri`` and ``release`` have working defaults.

    ``to_dask`` wraps the pandas frame in partitions of about a million rows; override it when
    the data can be read lazily (Parquet files, a database query). ``release`` is called when
    the run no longer needs the data; override it to free what the artifact holds.
    """

    ROWS_PER_PARTITION: ClassVar[int] = 1_000_000

    def __init__(self, uri: str) -> None:
        self._uri = uri

    def to_pandas(self) -> pd.DataFrame:
        raise NotImplementedError(f"{type(self).__name__}.to_pandas is not implemented")

    @property
    def n_rows(self) -> int:
        raise NotImplementedError(f"{type(self).__name__}.n_rows is not implemented")

    def to_dask(self) -> dd.DataFrame:
        import dask.dataframe as dd

        from_pandas: Any = dd.from_pandas  # dask leaves it unannotated
        partitions = max(1, -(-self.n_rows // self.ROWS_PER_PARTITION))
        frame: dd.DataFrame = from_pandas(self.to_pandas(), npartitions=partitions)
        return frame

    def to_frame(self, mode: str) -> pd.DataFrame | dd.DataFrame:
        return self.to_dask() if mode == "dask" else self.to_pandas()

    @property
    def uri(self) -> str:
        return self._uri

    def release(self) -> None:
        """Nothing to free by default."""
