"""``json_source``: read a JSON array of objects or a JSON Lines file into rows.

The counterpart of Talend's tFileInputJSON for files whose records are the top-level items
(no JSONPath: flattening nested data is a transform's job). Reading is in ``json_read``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pypeline import BaseModule
from pypeline.sdk import checks
from pypeline_files.paths import locate, require_file

if TYPE_CHECKING:
    from pypeline import RunContext
    from pypeline_files.paths import Location


class JsonSource(BaseModule):
    """Reads JSON or JSON Lines into a pandas or Dask DataFrame."""

    NAME = "json_source"
    TYPE = "source"
    CATEGORY = "File Sources"
    DESCRIPTION = """\
Reads a JSON array of objects, or JSON Lines, into rows (Talend's tFileInputJSON).

Reads a JSON file whose top level is an array of objects (`[{"id": 1}, {"id": 2}]`), or a
JSON Lines file (one object per line), and sends one row per object on `data`. Keys become
columns (a key missing from an object is null there); column types are the JSON's own:
strings stay text, whole numbers are int64 (float64 when some are missing), other numbers
float64, nested objects and arrays stay Python dicts and lists. This is
pandas.read_json(path, orient="records", lines=..., dtype=False) in both modes.

Options: `file_path` (required) is a local path, relative to the working directory, or an
fsspec URL (s3://, memory://, ...); `.gz`, `.bz2`, `.xz`, `.zst` and `.zip` (one file) are
decompressed by extension. `lines`: true for JSON Lines, false for an array; when not set,
files named .jsonl or .ndjson (before any compression extension) are JSON Lines, others
arrays. `encoding` (utf-8).

Invalid JSON fails the module with the file and the place: the line for JSON Lines, line and
column for an array. A top-level object (not an array) is refused with a hint to set `lines`.
Dask mode reads JSON Lines in 64 MiB blocks in parallel (an array, or a compressed file, is
one partition); `row_count` costs it one extra pass over the file.

Globals: `row_count` (rows on `data`), `file_size` (bytes). A missing file fails the module
with an error naming the path."""
    OUTPUT_PORTS = ["data"]
    GLOBALS = ["row_count", "file_size"]
    PACKAGES = ["pandas", "dask[dataframe]", "fsspec"]
    CONFIG_SCHEMA = {
        "required": {
            "file_path": {
                "type": "str",
                "description": "File to read: local path (relative to the working directory) "
                "or fsspec URL.",
            },
        },
        "optional": {
            "lines": {
                "type": "bool",
                "default": None,
                "description": "true: JSON Lines; false: an array of objects; unset: JSON "
                "Lines for .jsonl/.ndjson names.",
            },
            "encoding": {
                "type": "str",
                "default": "utf-8",
                "description": "Text encoding of the file (utf-8, utf-16, latin-1, ...).",
            },
        },
    }

    @classmethod
    def check_config(cls, config: dict[str, Any]) -> list[tuple[str, str]]:
        """An unknown encoding is refused before the job runs."""
        return checks.encoding(config, "encoding")

    async def run(self, inputs: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
        """Read off the event loop; publish ``row_count`` and ``file_size``."""
        from pypeline_files.json_read import is_lines

        location = locate(self.config["file_path"])
        lines = is_lines(location.path, self.config.get("lines"))
        encoding = str(self.config.get("encoding") or "utf-8")
        size = await ctx.executor.run_in_thread(require_file, location, self.NAME)
        read = _read_dask if ctx.execution_mode == "dask" else _read_pandas
        data, rows = await ctx.executor.run_in_thread(read, location, lines, encoding, size)
        ctx.set_global("row_count", rows)
        ctx.set_global("file_size", size)
        return {"data": data}


def _read_pandas(location: Location, lines: bool, encoding: str, size: int) -> tuple[Any, int]:
    import pandas as pd

    from pypeline_files.json_read import read_json_pandas

    frame = pd.DataFrame() if size == 0 else read_json_pandas(location, lines, encoding)
    return frame, len(frame)


def _read_dask(location: Location, lines: bool, encoding: str, size: int) -> tuple[Any, int]:
    """A lazy frame, and its row count (one pass: partition lengths only)."""
    import dask.dataframe as dd
    import pandas as pd

    from pypeline_files.csv_read_dask import count_rows
    from pypeline_files.json_read import read_json_dask

    if size == 0:
        from_pandas: Any = dd.from_pandas  # untyped in Dask
        return from_pandas(pd.DataFrame(), npartitions=1), 0
    frame = read_json_dask(location, lines, encoding)
    return frame, count_rows(frame)
