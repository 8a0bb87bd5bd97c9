"""``csv_source``: read a delimited text file, sending malformed lines to ``reject``.

The counterpart of Talend's tFileInputDelimited with "Die on error" unchecked. The readers live
beside it: ``csv_read_arrow`` (pandas mode) and ``csv_read_dask`` (dask mode).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pypeline import BaseModule
from pypeline.sdk import checks
from pypeline_files.csv_format import CsvFormat, check_dtypes
from pypeline_files.paths import locate, require_file

if TYPE_CHECKING:
    import dask.dataframe as dd
    import pyarrow as pa

    from pypeline import RunContext
    from pypeline_files.paths import Location


class CsvSource(BaseModule):
    """Reads a CSV file into a pandas or Dask DataFrame."""

    NAME = "csv_source"
    TYPE = "source"
    CATEGORY = "File Sources"
    DESCRIPTION = """\
Reads a delimited text file (CSV, TSV, ...) and sends its rows on `data`.

Bad lines do not stop the job, as in Talend with "Die on error" unchecked: a line with the
wrong number of fields, or with a value that does not convert to the type `dtypes` declares
for its column, goes to `reject` as a row of `line_number` (the 1-based physical line in the
file, the header being line 1), `raw_line` (the line's text) and `error_message` (e.g.
"expected 3 fields, found 4", "column 'age': cannot convert 'abc' to int"). `reject` is always
a DataFrame with those columns, empty when every line was good. Empty fields and the usual
null markers (NA, NULL, N/A, nan, ...) are nulls, never rejects.

Options: `file_path` (required) is a local path, relative to the working directory, or an
fsspec URL (s3://, memory://, ...); `.gz`, `.bz2`, `.xz`, `.zst` (zstd) and `.zip` (an
archive of one file) are decompressed by extension. `encoding` (utf-8),
`delimiter` (","), `quotechar` ('"': quoted values may hold delimiters and line breaks),
`header` (true: the first line names the columns; false: columns are f0, f1, ... unless
`column_names` names them), `column_names` (replace or supply the column names), `skip_rows`
(lines to skip before the header), `dtypes` (column → str, int, float, bool or datetime; other
columns are inferred as pandas.read_csv does: numbers become int64/float64, text (dates
included) stays str, empty fields are null). int takes digits with an optional minus sign,
float also decimals, exponents, inf and nan, bool the spellings cast_mod and to_bool take
(true, t, yes, y, 1 and false, f, no, n, 0, any case); spaces around a value are ignored;
datetime takes what pandas.to_datetime parses.

Pandas mode reads with pyarrow's multithreaded parser. Dask mode reads lazily with
dask.dataframe.read_csv: line-level rejects are a pandas-mode feature there (lines with too many
fields are skipped with a warning in the log, short lines are padded with nulls, a value that
does not convert fails the run, `reject` is empty), and `row_count` costs one extra pass over
the file (partition lengths only). A file with no bad line costs one parallel read (one that
holds quote characters is read quote-aware, some 20% slower); one with conversion rejects
costs a second read, and a line-numbering pass in Python.

Whole-file problems fail the module, in both modes, with an error naming the line: a byte
that is not valid in `encoding` (with its offset and the encoding to try: a file in the
wrong encoding is wrong on every line, so no line is rejected and no value holds raw bytes;
a UTF-8 byte-order mark is fine), and a quote that is never closed (which would make the
rest of the file one value). Values of any length are read (a 10 MB field too).

Globals: `row_count` (rows on `data`), `file_size` (bytes).
A missing file fails the module with an error naming the path."""
    OUTPUT_PORTS = ["data", "reject"]
    GLOBALS = ["row_count", "file_size"]
    PACKAGES = ["pyarrow", "pandas", "dask[dataframe]", "fsspec"]
    CONFIG_SCHEMA = {
        "required": {
            "file_path": {
                "type": "str",
                "description": "File to read: local path (relative to the working directory) "
                "or fsspec URL.",
            },
        },
        "optional": {
            "encoding": {
                "type": "str",
                "default": "utf-8",
                "description": "Text encoding of the file (utf-8, latin-1, cp1252, ...).",
            },
            "delimiter": {
                "type": "str",
                "default": ",",
                "description": "Field separator, one character (use \\t for tabs).",
            },
            "quotechar": {
                "type": "str",
                "default": '"',
                "description": "Character that quotes fields holding delimiters or line breaks.",
            },
            "header": {
                "type": "bool",
                "default": True,
                "description": "Whether the first line (after skip_rows) holds the column names.",
            },
            "column_names": {
                "type": "list",
                "default": [],
                "description": "Column names to use instead of the header (or for a file "
                "without one); default f0, f1, ... when header is false.",
            },
            "skip_rows": {
                "type": "int",
                "default": 0,
                "description": "Lines to skip at the top of the file, before the header.",
            },
            "dtypes": {
                "type": "dict",
                "default": {},
                "description": "Column → type (str, int, float, bool, datetime) to force; "
                "other columns are inferred.",
            },
        },
    }

    @classmethod
    def check_config(cls, config: dict[str, Any]) -> list[tuple[str, str]]:
        """Refuse bad dialect options and unknown type names before the job runs."""
        return [
            *checks.one_char(config, "delimiter"),
            *checks.one_char(config, "quotechar"),
            *checks.encoding(config, "encoding"),
            *checks.whole_number(config, "skip_rows"),
            *checks.column_names(config, "column_names"),
            *check_dtypes(config),
        ]

    async def run(self, inputs: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
        """Read the file off the event loop; publish ``row_count`` and ``file_size``.

        Pandas mode hands Arrow-backed artifacts on its ports (``arrow_artifact``): pandas
        frames for whoever asks, and no conversion at all for an Arrow-aware sink."""
        fmt = CsvFormat.from_config(self.config)
        location = locate(self.config["file_path"])
        size = await ctx.executor.run_in_thread(require_file, location, self.NAME)
        data: Any  # a Dask frame, an ArrowArtifact, or a pandas frame (see arrow_artifact)
        reject: Any
        if ctx.execution_mode == "dask":
            from pypeline_files.csv_read_arrow import reject_frame
            from pypeline_files.csv_read_dask import count_csv_rows

            data = await ctx.executor.run_in_thread(_read_dask, location, fmt, size)
            rows = await ctx.executor.run_in_thread(count_csv_rows, data, location, fmt)
            reject = reject_frame([])
            ctx.logger.warning(
                "csv_source: line-level rejects are a pandas-mode feature; in dask mode lines "
                "of %s with too many fields are skipped and 'reject' is empty",
                location.given,
            )
        else:
            from pypeline_files.arrow_artifact import ArrowArtifact, wrap

            table, bad = await ctx.executor.run_in_thread(_read_arrow, location, fmt, size)
            rows = table.num_rows
            data = wrap(table, ctx.artifact_manager, f"{ctx.node_id}.data")
            reject = ArrowArtifact(bad, f"{ctx.node_id}.reject")
            if bad.num_rows:
                ctx.logger.warning(
                    "csv_source: %d bad line(s) of %s sent to 'reject'",
                    bad.num_rows,
                    location.given,
                )
        ctx.set_global("row_count", rows)
        ctx.set_global("file_size", size)
        return {"data": data, "reject": reject}


def _read_arrow(location: Location, fmt: CsvFormat, size: int) -> tuple[pa.Table, pa.Table]:
    """The good rows and the reject rows, as Arrow tables. An empty file is an empty table
    here, not pyarrow's "Empty CSV file" error."""
    import pyarrow as pa

    from pypeline_files.csv_read_arrow import read_csv_arrow, reject_table

    if size == 0:
        return pa.Table.from_batches([], schema=pa.schema([])), reject_table([])
    table, rows = read_csv_arrow(location, fmt)
    return table, reject_table(rows)


def _read_dask(location: Location, fmt: CsvFormat, size: int) -> dd.DataFrame:
    import dask.dataframe as dd
    import pandas as pd

    from pypeline_files.csv_read_dask import read_csv_dask

    if size == 0:
        from_pandas: Any = dd.from_pandas  # untyped in Dask
        empty: dd.DataFrame = from_pandas(pd.DataFrame(), npartitions=1)
        return empty
    return read_csv_dask(location, fmt)
