"""``parquet_sink``: write the incoming rows to Parquet, atomically.

The counterpart of Talend's tFileOutputParquet. Writing is in ``parquet_io``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pypeline import BaseModule
from pypeline_files import config_checks
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

Pandas mode writes one Parquet file with pyarrow. Dask mode writes a directory of part files
(one per partition, in parallel); parquet_source and most Parquet readers read either form. The
frame's index is not written.

The output is written atomically: into a hidden temporary file (or directory) beside the target,
then renamed onto `output_path`, so a failed or killed run leaves the previous output untouched
and no partial output behind. Missing parent directories are created.

Options: `output_path` (required) is a local path, relative to the working directory, or an
fsspec URL. `compression`: snappy (default), gzip, zstd, brotli, lz4 or none.

Globals: `row_count` (rows written)."""
    INPUT_PORTS = ["input"]
    GLOBALS = ["row_count"]
    PACKAGES = ["pyarrow", "pandas", "dask[dataframe]", "fsspec"]
    CONFIG_SCHEMA = {
        "required": {
            "output_path": {
                "type": "str",
                "description": "Parquet file (pandas mode) or directory (dask mode) to write: "
                "local path (relative to the working directory) or fsspec URL.",
            },
        },
        "optional": {
            "compression": {
                "type": "str",
                "default": "snappy",
                "description": "Compression codec: snappy, gzip, zstd, brotli, lz4 or none.",
            },
        },
    }

    @classmethod
    def check_config(cls, config: dict[str, Any]) -> list[tuple[str, str]]:
        """Refuse a codec pyarrow does not offer before the job runs."""
        return config_checks.choice(config, "compression", COMPRESSIONS)

    async def run(self, inputs: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
        """Write off the event loop; publish ``row_count``."""
        from pypeline_files.parquet_io import write_parquet_dask, write_parquet_pandas

        config_checks.refuse(self.NAME, self.check_config(self.config))
        target = locate(self.config["output_path"])
        compression = str(self.config.get("compression", "snappy"))
        writer = write_parquet_dask if ctx.execution_mode == "dask" else write_parquet_pandas
        frame = await ctx.executor.run_in_thread(inputs["input"].to_frame, ctx.execution_mode)
        rows = await ctx.executor.run_in_thread(writer, frame, target, compression)
        ctx.set_global("row_count", rows)
        return {}
