"""``parquet_source``: read a Parquet file or a directory of Parquet part files.

The counterpart of Talend's tFileInputParquet. Reading is in ``parquet_io``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pypeline import BaseModule
from pypeline.sdk import checks
from pypeline_files.paths import locate, require_file

if TYPE_CHECKING:
    from pypeline import RunContext


class ParquetSource(BaseModule):
    """Reads Parquet into a pandas or Dask DataFrame."""

    NAME = "parquet_source"
    TYPE = "source"
    CATEGORY = "File Sources"
    DESCRIPTION = """\
Reads a Parquet file or dataset directory into rows (Talend's tFileInputParquet).

Reads a Parquet file, or a directory of Parquet part files (what parquet_sink writes in dask
mode), and sends its rows on `data`. Column types are those stored in the file.

Options: `file_path` (required) is a local path, relative to the working directory, or an
fsspec URL (s3://, memory://, ...). `columns` reads only the listed columns, in that order
(Parquet is columnar: the others are not even read); a name the file does not have fails the
module with the list of available columns.

Pandas mode reads with pyarrow (multithreaded); dask mode reads lazily with
dask.dataframe.read_parquet, one partition per row group or file.

Globals: `row_count` (rows on `data`; in dask mode taken from the Parquet footers, so it costs
no extra pass over the data). A missing path fails the module with an error naming it."""
    OUTPUT_PORTS = ["data"]
    GLOBALS = ["row_count"]
    PACKAGES = ["pyarrow", "pandas", "dask[dataframe]", "fsspec"]
    CONFIG_SCHEMA = {
        "required": {
            "file_path": {
                "type": "str",
                "description": "Parquet file or directory to read: local path (relative to "
                "the working directory) or fsspec URL.",
            },
        },
        "optional": {
            "columns": {
                "type": "list",
                "default": [],
                "description": "Columns to read, in this order; empty or absent reads all.",
            },
        },
    }

    @classmethod
    def check_config(cls, config: dict[str, Any]) -> list[tuple[str, str]]:
        """``columns`` must be a list of distinct names."""
        return checks.column_names(config, "columns")

    async def run(self, inputs: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
        """Read off the event loop; publish ``row_count``."""
        from pypeline_files.parquet_io import read_parquet_dask, read_parquet_pandas

        location = locate(self.config["file_path"])
        columns = list(self.config.get("columns") or []) or None
        await ctx.executor.run_in_thread(require_file, location, self.NAME, allow_dir=True)
        if ctx.execution_mode == "dask":
            data, rows = await ctx.executor.run_in_thread(read_parquet_dask, location, columns)
        else:
            data = await ctx.executor.run_in_thread(read_parquet_pandas, location, columns)
            rows = len(data)
        ctx.set_global("row_count", rows)
        return {"data": data}
