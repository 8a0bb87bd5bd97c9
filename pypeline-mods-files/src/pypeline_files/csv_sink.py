"""``csv_sink``: write the incoming rows to a delimited text file, atomically.

The counterpart of Talend's tFileOutputDelimited. The writing itself is in ``csv_write``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pypeline import BaseModule
from pypeline.sdk import checks
from pypeline_files.paths import locate

if TYPE_CHECKING:
    from pypeline import RunContext

MODES = ("overwrite", "append")


class CsvSink(BaseModule):
    """Writes a pandas or Dask DataFrame to one CSV file."""

    NAME = "csv_sink"
    TYPE = "sink"
    CATEGORY = "File Sinks"
    DESCRIPTION = """\
Writes the rows arriving on `input` to one delimited text file (CSV, TSV, ...).

The file is written atomically: the complete file is built in a hidden temporary file in the
same directory and only then moved onto `output_path`, so a failed or killed run leaves the
previous file untouched and no partial file behind. Missing parent directories are created.
A directory at `output_path` is never replaced: the module fails naming it and leaves it as
it was (a directory is replaced only if PYpeline wrote it: it holds a hidden
`.pypeline-output` mark). The temporary file is named `.<name>.<hex>.pype-tmp`; if the run is
killed, the next run of the job removes it.

Options: `output_path` (required) is a local path, relative to the working directory, or an
fsspec URL; its extension picks a compression: `.gz` (gzip), `.bz2`, `.xz`, `.zst` (zstd) or
`.zip` (an archive holding one file named like the output without `.zip`). `delimiter` (","),
`header` (true: write the column names as the first line), `encoding` (utf-8), `mode`:
`overwrite` (default) replaces the file; `append` adds the rows at the end of an existing file
without repeating the header (the columns are assumed to be the same; a missing file is
created with a header; a compressed file cannot be appended to, as in Talend). Appending
copies the existing file into the temporary one, which keeps the append atomic; a hidden
ledger beside the file (`.<name>.appends.json`) lets a resumed run replace the part it
appended instead of repeating it. Values are
formatted as pandas' to_csv does: nulls are empty fields, the index is not written.

In dask mode each partition is written in parallel and the parts are then joined in order.

Globals: `row_count` (rows written)."""
    INPUT_PORTS = ["input"]
    GLOBALS = ["row_count"]
    PACKAGES = ["pandas", "dask[dataframe]", "fsspec"]
    CONFIG_SCHEMA = {
        "required": {
            "output_path": {
                "type": "str",
                "description": "File to write: local path (relative to the working directory) "
                "or fsspec URL.",
            },
        },
        "optional": {
            "delimiter": {
                "type": "str",
                "default": ",",
                "description": "Field separator, one character (use \\t for tabs).",
            },
            "header": {
                "type": "bool",
                "default": True,
                "description": "Write the column names as the first line (not when appending "
                "to an existing file).",
            },
            "mode": {
                "type": "str",
                "default": "overwrite",
                "description": "overwrite: replace the file; append: add rows at its end.",
            },
            "encoding": {
                "type": "str",
                "default": "utf-8",
                "description": "Text encoding of the file (utf-8, utf-8-sig, latin-1, ...).",
            },
        },
    }

    @classmethod
    def check_config(cls, config: dict[str, Any]) -> list[tuple[str, str]]:
        """Refuse an unknown mode, a bad delimiter, an unknown encoding, or an append to a
        compressed file (a gzip stream cannot be extended in place) at build time."""
        from pypeline_files.compression import codec_of

        problems = [
            *checks.choice(config, "mode", MODES),
            *checks.one_char(config, "delimiter"),
            *checks.encoding(config, "encoding"),
        ]
        path = config.get("output_path")
        if config.get("mode") == "append" and isinstance(path, str) and codec_of(path):
            problems.append(("mode", f"cannot append to a compressed file: {path}"))
        return problems

    async def run(self, inputs: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
        """Write off the event loop; publish ``row_count``."""
        from pypeline_files.csv_write import CsvWriteOptions, write_csv_dask, write_csv_pandas

        options = CsvWriteOptions(
            delimiter=self.config.get("delimiter", ","),
            header=bool(self.config.get("header", True)),
            append=self.config.get("mode", "overwrite") == "append",
            encoding=self.config.get("encoding", "utf-8"),
            part=(ctx.run_id, ctx.node_id) if ctx.run_id else None,
        )
        target = locate(self.config["output_path"])
        frame = await ctx.executor.run_in_thread(inputs["input"].to_frame, ctx.execution_mode)
        writer = write_csv_dask if ctx.execution_mode == "dask" else write_csv_pandas
        rows = await ctx.executor.run_in_thread(writer, frame, target, options)
        ctx.set_global("row_count", rows)
        return {}
