"""``ArrowArtifact``: a source's output kept as the Arrow table it was read as, pandas on demand.

pyarrow reads CSV into an Arrow table; a pandas DataFrame is what the modules downstream are
promised. Converting eagerly costs a copy of every numeric column (the parallel reader leaves
many chunks to join) and, in a job that never touches pandas, pandas' import. A Parquet sink
needs neither: it writes Arrow. So the sources hand this artifact (a ``pypeline.DataArtifact``)
on their ports: ``to_pandas`` converts once, on first demand, to exactly the frame an eager
conversion would give, and ``to_arrow`` lets an Arrow-aware sink skip pandas altogether (a
csv_source → parquet_sink job converts nothing).

After the pandas conversion the table is dropped (a consumer still writing it keeps its own
reference): the frame is the copy that stays, and ``to_arrow`` then rebuilds a table from it,
which shares the text columns' memory and costs milliseconds. Tables larger than the run's
spill threshold are not wrapped: the sources return pandas frames then, so the engine's spill
policy applies to them as to any other output.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pypeline.sdk.arrow_artifact import ArrowArtifact

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

__all__ = ["ArrowArtifact", "arrow_of", "wrap"]


def wrap(table: pa.Table, artifact_manager: Any, name: str = "") -> ArrowArtifact | pd.DataFrame:
    """The artifact for ``table``, or a pandas frame when the table is larger than the run's
    spill threshold (the engine then decides where it lives, as for any frame). The table is
    consumed: the conversion frees its buffers as it goes (peak memory of one copy, not two),
    so the caller must not use it afterwards."""
    threshold = getattr(artifact_manager, "spill_threshold_rows", None)
    if isinstance(threshold, int) and table.num_rows > threshold:
        return table.to_pandas(split_blocks=True, self_destruct=True)
    return ArrowArtifact(table, name)


def arrow_of(artifact: Any) -> pa.Table | None:
    """The input's Arrow table when it has one (an ``ArrowArtifact``), else None."""
    to_arrow = getattr(artifact, "to_arrow", None)
    return to_arrow() if callable(to_arrow) else None
