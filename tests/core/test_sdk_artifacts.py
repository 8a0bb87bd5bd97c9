"""The SDK's artifact base: a pack's own artifact implements ``to_pandas`` and ``n_rows`` and
gets working Dask, frame-by-mode, uri and release defaults, so it satisfies ``DataArtifact``."""

from __future__ import annotations

import pandas as pd
import pytest

from pypeline import DataArtifact
from pypeline.sdk.arrow_artifact import ArrowArtifact
from pypeline.sdk.artifact import ArtifactBase, is_dask
from pypeline.sdk.memory_artifact import MemoryArtifact


class CountingArtifact(ArtifactBase):
    """A pack-style artifact: rows made on demand, counting how often pandas was asked."""

    ROWS_PER_PARTITION = 4

    def __init__(self, rows: int) -> None:
        super().__init__(f"counting://{rows}")
        self.rows, self.reads = rows, 0

    def to_pandas(self) -> pd.DataFrame:
        self.reads += 1
        return pd.DataFrame({"n": range(self.rows)})

    @property
    def n_rows(self) -> int:
        return self.rows


def test_a_subclass_is_a_data_artifact_in_both_modes() -> None:
    artifact = CountingArtifact(10)
    assert isinstance(artifact, DataArtifact)
    assert artifact.uri == "counting://10"
    assert list(artifact.to_frame("pandas")["n"]) == list(range(10))
    lazy = artifact.to_frame("dask")
    assert is_dask(lazy) and lazy.npartitions == 3  # ceil(10 / 4)
    assert list(lazy.compute()["n"]) == list(range(10))
    artifact.release()  # the default frees nothing and raises nothing


def test_what_a_subclass_must_give_is_said_by_name() -> None:
    class Half(ArtifactBase):
        pass

    with pytest.raises(NotImplementedError, match=r"Half\.to_pandas is not implemented"):
        Half("x://").to_pandas()
    with pytest.raises(NotImplementedError, match=r"Half\.n_rows is not implemented"):
        _ = Half("x://").n_rows


def test_the_core_artifacts_share_the_base() -> None:
    import pyarrow as pa

    table = pa.table({"n": [1, 2, 3]})
    arrow = ArrowArtifact(table, "t")
    memory = MemoryArtifact(pd.DataFrame({"n": [1, 2, 3]}), "m")
    for artifact in (arrow, memory):
        assert isinstance(artifact, ArtifactBase) and isinstance(artifact, DataArtifact)
        assert artifact.n_rows == 3
        assert list(artifact.to_frame("dask").compute()["n"]) == [1, 2, 3]
    assert (arrow.uri, memory.uri) == ("memory://t", "memory://m")
