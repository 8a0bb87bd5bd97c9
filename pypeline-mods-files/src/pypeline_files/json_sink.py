"""``json_sink``: write the incoming rows as a JSON array or JSON Lines, atomically.

The counterpart of Talend's tFileOutputJSON. Writing is in ``json_write``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pypeline import BaseModule
from pypeline.sdk import checks
from pypeline_files.paths import locate

if TYPE_CHECKING:
    from pypeline import RunContext

DATE_FORMATS = ("iso", "epoch")


class JsonSink(BaseModule):
    """Writes a pandas or Dask DataFrame to one JSON or JSON Lines file."""

    NAME = "json_sink"
    TYPE = "sink"
    CATEGORY = "File Sinks"
    DESCRIPTION = """\
Writes the rows as a JSON array or JSON Lines, atomically (Talend's tFileOutputJSON).

Writes the rows arriving on `input` as JSON objects, one per row, keyed by column name:
either one JSON array (`[`, then one object per line separated by commas, then `]`) or JSON
Lines (one object per line, nothing around them). Each object is what pandas'
DataFrame.to_json(orient="records") makes of the row: nulls are `null`, text is written as
UTF-8 (not \\u-escaped), the index is not written; both modes write the same bytes.

The file is written atomically: built in a hidden temporary file in the same directory, then
moved onto `output_path`, so a failed or killed run leaves the previous file untouched and no
partial file behind. Missing parent directories are created.
A directory at `output_path` is never replaced: the module fails naming it and leaves it as
it was (a directory is replaced only if PYpeline wrote it: it holds a hidden
`.pypeline-output` mark). The temporary file is named `.<name>.<hex>.pype-tmp`; if the run is
killed, the next run of the job removes it.

Options: `output_path` (required) is a local path, relative to the working directory, or an
fsspec URL; its extension picks a compression: `.gz`, `.bz2`, `.xz`, `.zst` (zstd) or `.zip`.
`lines`: true writes JSON Lines, false an array; when not set, names ending in .jsonl or
.ndjson (before any compression extension) get JSON Lines, others an array.
`date_format`: `iso` (default: ISO 8601 text such as 2024-01-31T12:00:00.000) or `epoch`
(milliseconds since 1970-01-01, pandas' own default).

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
            "lines": {
                "type": "bool",
                "default": None,
                "description": "true: JSON Lines; false: one array; unset: JSON Lines for "
                ".jsonl/.ndjson names.",
            },
            "date_format": {
                "type": "str",
                "default": "iso",
                "description": "How dates are written: iso (ISO 8601 text) or epoch "
                "(milliseconds).",
            },
        },
    }

    @classmethod
    def check_config(cls, config: dict[str, Any]) -> list[tuple[str, str]]:
        """An unknown date format is refused before the job runs."""
        return checks.choice(config, "date_format", DATE_FORMATS)

    async def run(self, inputs: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
        """Write off the event loop; publish ``row_count``."""
        from pypeline_files.json_read import is_lines
        from pypeline_files.json_write import JsonWriteOptions, write_json_dask, write_json_pandas

        target = locate(self.config["output_path"])
        options = JsonWriteOptions(
            lines=is_lines(target.path, self.config.get("lines")),
            date_format=str(self.config.get("date_format") or "iso"),
        )
        frame = await ctx.executor.run_in_thread(inputs["input"].to_frame, ctx.execution_mode)
        writer = write_json_dask if ctx.execution_mode == "dask" else write_json_pandas
        rows = await ctx.executor.run_in_thread(writer, frame, target, options)
        ctx.set_global("row_count", rows)
        return {}
