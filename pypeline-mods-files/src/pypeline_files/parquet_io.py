"""Reading and writing Parquet for ``parquet_source`` and ``parquet_sink``, in both modes.

A Parquet output is one file in pandas mode and a directory of part files (one per partition,
written in parallel) in dask mode; the readers accept both, so either mode can read what the
other wrote. Row counts of Dask datasets come from the Parquet footers, which costs no data read.

Pandas mode goes straight through pyarrow without intermediate copies: ``read_table`` →
``to_pandas(self_destruct=True)`` on the way in, ``Table.from_pandas`` → ``write_table`` on the way
out, and an input that is still an Arrow table (``arrow_artifact``: csv_source's output) is
written as it is, without a pandas round trip (bench/csv_to_parquet.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pypeline_files.atomic import atomic_output

if TYPE_CHECKING:
    import dask.dataframe as dd
    import pandas as pd
    import pyarrow as pa
    import pyarrow.dataset as pads

    from pypeline_files.paths import Location

COMPRESSIONS = ("snappy", "gzip", "zstd", "brotli", "lz4", "none")


def read_parquet_pandas(location: Location, columns: list[str] | None) -> pd.DataFrame:
    """The file (or dataset directory) as one DataFrame, optionally only some columns."""
    import pyarrow.parquet as pq

    _check_columns(location, columns, dataset(location).schema.names)
    table = pq.read_table(
        location.path,
        columns=columns,
        filesystem=None if location.is_local else location.fs,
        use_pandas_metadata=True,
    )
    return table.to_pandas(split_blocks=True, self_destruct=True)


def read_parquet_dask(location: Location, columns: list[str] | None) -> tuple[dd.DataFrame, int]:
    """A lazy Dask frame, and its row count read from the footers."""
    import dask
    import dask.dataframe as dd

    # pandas' own "str" dtype for text, as in pandas mode (not Dask's string[pyarrow]).
    with dask.config.set({"dataframe.convert-string": False}):
        frame = dd.read_parquet(location.url)
    _check_columns(location, columns, [str(c) for c in frame.columns])
    if columns:
        frame = frame[columns]
    return frame, int(dataset(location).count_rows())


def write_parquet_pandas(
    frame: pd.DataFrame, target: Location, compression: str, partition_cols: list[str]
) -> int:
    """``write_parquet_arrow`` of the frame (its index is not written)."""
    import pyarrow as pa

    check_partition_cols(partition_cols, [str(c) for c in frame.columns])
    table = pa.Table.from_pandas(frame, preserve_index=False)
    return write_parquet_arrow(table, target, compression, partition_cols)


def write_parquet_arrow(
    table: pa.Table, target: Location, compression: str, partition_cols: list[str]
) -> int:
    """One Parquet file, or with ``partition_cols`` a hive-partitioned dataset directory
    (``city=Paris/part-0.parquet``), written to a temporary sibling renamed onto ``target``."""
    import pyarrow.parquet as pq

    check_partition_cols(partition_cols, table.column_names)
    codec = _codec(compression)
    table = _marked(table)
    with atomic_output(target, "parquet_sink", directory=bool(partition_cols)) as temp:
        if partition_cols:
            temp.fs.makedirs(temp.path, exist_ok=True)  # an empty input is an empty dataset
            pq.write_to_dataset(
                table,
                temp.path,
                partition_cols=partition_cols,
                filesystem=None if temp.is_local else temp.fs,
                compression=codec,
                basename_template="part-{i}.parquet",
            )
        elif temp.is_local:
            pq.write_table(table, temp.path, compression=codec)
        else:
            with temp.fs.open(temp.path, "wb") as handle:
                pq.write_table(table, handle, compression=codec)
    return int(table.num_rows)


def write_parquet_dask(
    frame: dd.DataFrame, target: Location, compression: str, partition_cols: list[str]
) -> int:
    """A directory of part files (hive-partitioned with ``partition_cols``), written to a
    temporary directory renamed onto ``target``."""
    check_partition_cols(partition_cols, [str(c) for c in frame.columns])
    lazy: Any = frame  # Dask's to_parquet is untyped
    with atomic_output(target, "parquet_sink", directory=True) as temp:
        lazy.to_parquet(
            temp.url,
            compression=_codec(compression),
            write_index=False,
            partition_on=partition_cols or None,
        )
        rows = int(dataset(temp).count_rows())
    return rows


def _marked(table: pa.Table) -> pa.Table:
    """The table with ``output_marks.PARQUET_KEY`` in its metadata, which lands in the file's
    footer: a later dask-mode run may replace the file with a dataset directory."""
    from pypeline_files.output_marks import PARQUET_KEY

    metadata = {**(table.schema.metadata or {}), PARQUET_KEY: b"parquet_sink"}
    return table.replace_schema_metadata(metadata)


def check_partition_cols(partition_cols: list[str], columns: list[str]) -> None:
    """Partition columns must exist, and at least one column must stay inside the files."""
    missing = [name for name in partition_cols if name not in columns]
    if missing:
        raise ValueError(
            f"parquet_sink: partition_cols names columns not in the input: {', '.join(missing)} "
            f"(columns: {', '.join(columns)})"
        )
    if partition_cols and len(partition_cols) >= len(columns):
        raise ValueError("parquet_sink: partition_cols takes every column; leave one in the files")


def dataset(location: Location) -> pads.Dataset:
    """A pyarrow dataset over a file or a directory: schema and row counts without the data.

    Hidden (``.``) and ``_`` files are ignored, so temporary outputs and ``_metadata`` are too.
    ``key=value`` directories are hive partitions: their columns are part of the schema.
    """
    import pyarrow.dataset as pads

    filesystem: Any = None if location.is_local else location.fs
    return pads.dataset(location.path, format="parquet", filesystem=filesystem, partitioning="hive")


def _check_columns(location: Location, wanted: list[str] | None, present: list[str]) -> None:
    missing = [name for name in wanted or [] if name not in present]
    if missing:
        raise ValueError(
            f"parquet_source: columns not in {location.given}: {', '.join(missing)} "
            f"(columns: {', '.join(present)})"
        )


def _codec(compression: str) -> str | None:
    if compression not in COMPRESSIONS:
        raise ValueError(
            f"parquet_sink: compression must be one of {', '.join(COMPRESSIONS)}; "
            f"got {compression!r}"
        )
    return None if compression == "none" else compression
