"""``parquet_sink``: write the incoming rows to Parquet, atomically.

The counterpart of Talend's tFileOutputParquet. Writing is in ``parquet_io``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pypeline import BaseModule
from pypeline.sdk import checks
from pypeline_files.parquet_io import COMPRESSIONS
from pypeline_files.paths import locate

if TYPE_CHECKING:
    from pypeline import RunContext


class ParquetSink(BaseModule):
    """Writes a pandas or Dask DataFrame to Parquet."""

    NAME = "parquet_sink"
    TYPE = "sink"
    CATEGORY = "File Sinks"
    DESCRIPTION = """\
Writes the rows arriving on `input` to Parquet at `output_path`, replacing what was there.

Pandas mode writes one Parquet file with pyarrow; rows that arrive still as Arrow (what
csv_source hands on) are written as they are, without a round trip through pandas. Dask mode
writes a directory of part files (one per partition, in parallel); parquet_source and most
Parquet readers read either form. The frame's index is not written.

With `partition_cols`, the output is a hive-partitioned dataset directory in both modes: one
sub-directory per value (`city=Paris/`, nested for several columns, `__HIVE_DEFAULT_PARTITION__`
for nulls) holding the rows with that value, without the partition columns themselves; readers
(parquet_source, pandas, Spark, DuckDB) give them back as columns (categorical in pandas).

The output is written atomically: into a hidden temporary file (or directory, for datasets)
beside the target, then renamed onto `output_path`, so a failed or killed run leaves the
previous output untouched and no partial output behind. Missing parent directories are created.
Temporaries are named `.<name>.<hex>.pype-tmp...`; if the run is killed, the next run of the
job removes them.

What it may replace: its own earlier output, in either mode (pandas mode one file, dask mode
or `partition_cols` a directory): every dataset directory holds a hidden `.pypeline-output`
mark (Parquet readers skip hidden files), and its Parquet files carry `pypeline.output` in
their footer metadata. Any other directory at `output_path`, or any other file where a
dataset directory goes, fails the module naming the path, and is left untouched.

Options: `output_path` (required) is a local path, relative to the working directory, or an
fsspec URL. `compression`: snappy (default), gzip, zstd, brotli, lz4 or none.
`partition_cols` (none): columns to partition the dataset by, in directory order; each must
be in the input, and at least one column must be left out of them.

Globals: `row_count` (rows written)."""
    INPUT_PORTS = ["input"]
    GLOBALS = ["row_count"]
    PACKAGES = ["pyarrow", "pandas", "dask[dataframe]", "fsspec"]
    CONFIG_SCHEMA = {
        "required": {
            "output_path": {
                "type": "str",
                "description": "Parquet file (pandas mode) or directory (dask mode, "
                "partition_cols) to write: local path (relative to the working directory) or "
                "fsspec URL.",
            },
        },
        "optional": {
            "compression": {
                "type": "str",
                "default": "snappy",
                "description": "Compression codec: snappy, gzip, zstd, brotli, lz4 or none.",
            },
            "partition_cols": {
                "type": "list",
                "default": [],
                "description": "Columns to partition by: writes a dataset directory with one "
                "col=value sub-directory per value.",
            },
        },
    }

    @classmethod
    def check_config(cls, config: dict[str, Any]) -> list[tuple[str, str]]:
        """Refuse a codec pyarrow does not offer, or a bad column list, before the job runs."""
        return [
            *checks.choice(config, "compression", COMPRESSIONS),
            *checks.column_names(config, "partition_cols"),
        ]

    async def run(self, inputs: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
        """Write off the event loop; publish ``row_count``."""
        from pypeline_files.arrow_artifact import arrow_of
        from pypeline_files.parquet_io import (
            write_parquet_arrow,
            write_parquet_dask,
            write_parquet_pandas,
        )

        target = locate(self.config["output_path"])
        compression = str(self.config.get("compression", "snappy"))
        partition_cols = list(self.config.get("partition_cols") or [])
        source = inputs["input"]
        table = None
        if ctx.execution_mode == "pandas":
            table = await ctx.executor.run_in_thread(arrow_of, source)
        if table is not None:  # still Arrow (csv_source's output): no pandas round trip
            rows = await ctx.executor.run_in_thread(
                write_parquet_arrow, table, target, compression, partition_cols
            )
        else:
            writer = write_parquet_dask if ctx.execution_mode == "dask" else write_parquet_pandas
            frame = await ctx.executor.run_in_thread(source.to_frame, ctx.execution_mode)
            rows = await ctx.executor.run_in_thread(
                writer, frame, target, compression, partition_cols
            )
        ctx.set_global("row_count", rows)
        return {}
