"""``excel_sink``: write the incoming rows to a sheet of an Excel workbook, atomically.

The counterpart of Talend's tFileOutputExcel. pandas writes through openpyxl into memory; the
finished workbook is then written to a temporary sibling and moved onto the target, so a failed
run never leaves a half-written workbook (a zip file cut short is unreadable as a whole).
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from pypeline import BaseModule
from pypeline_files.atomic import atomic_output
from pypeline_files.paths import locate

if TYPE_CHECKING:
    import pandas as pd

    from pypeline import RunContext
    from pypeline_files.paths import Location

#: Characters Excel refuses in sheet names.
_BAD_SHEET_CHARS = set("[]:*?/\\")


class ExcelSink(BaseModule):
    """Writes a pandas DataFrame to an Excel sheet (pandas mode only)."""

    NAME = "excel_sink"
    TYPE = "sink"
    CATEGORY = "File Sinks"
    DESCRIPTION = """\
Writes the rows to a sheet of an Excel workbook, atomically (Talend's tFileOutputExcel).

Writes the rows arriving on `input` to one sheet of an Excel workbook (.xlsx, through
openpyxl): this is DataFrame.to_excel(path, sheet_name=..., header=..., index=False). Dates
and times become Excel dates, nulls empty cells. Excel takes at most 1,048,576 rows per sheet
and no time zones: a frame beyond either fails the module with openpyxl's reason.

The workbook is written atomically: built in memory, written to a hidden temporary file beside
the target, then moved onto `output_path`, so a failed or killed run leaves the previous
workbook untouched. Missing parent directories are created.
A directory at `output_path` is never replaced: the module fails naming it and leaves it as
it was (a directory is replaced only if PYpeline wrote it: it holds a hidden
`.pypeline-output` mark). The temporary file is named `.<name>.<hex>.pype-tmp`; if the run is
killed, the next run of the job removes it.

Options: `output_path` (required) is a local path, relative to the working directory, or an
fsspec URL. `sheet` ("Sheet1"): the sheet's name (at most 31 characters, none of []:*?/\\).
`header` (true): write the column names as the first row. `keep_other_sheets` (false): false
writes a new workbook holding only `sheet`; true writes into the existing workbook (Talend's
"append existing file"): `sheet` is replaced (or added, last) and the other sheets are kept
as they were; a missing workbook is created.

Pandas mode only (DASK = False): a workbook is one zip archive that openpyxl builds in memory
from every row, so in dask mode the whole dataset would have to be computed into one process;
the build refuses the module there. Write csv_sink or parquet_sink output for large data.

Globals: `row_count` (rows written)."""
    INPUT_PORTS = ["input"]
    GLOBALS = ["row_count"]
    PACKAGES = ["pandas", "openpyxl", "fsspec"]
    # openpyxl holds the whole workbook in memory: no partition-by-partition write exists.
    DASK = False
    CONFIG_SCHEMA = {
        "required": {
            "output_path": {
                "type": "str",
                "description": "Workbook to write (.xlsx): local path (relative to the working "
                "directory) or fsspec URL.",
            },
        },
        "optional": {
            "sheet": {
                "type": "str",
                "default": "Sheet1",
                "description": "Name of the sheet to write (at most 31 characters).",
            },
            "header": {
                "type": "bool",
                "default": True,
                "description": "Write the column names as the first row.",
            },
            "keep_other_sheets": {
                "type": "bool",
                "default": False,
                "description": "Write into the existing workbook, replacing only this sheet "
                "and keeping the others.",
            },
        },
    }

    @classmethod
    def check_config(cls, config: dict[str, Any]) -> list[tuple[str, str]]:
        """Excel's own rules for sheet names, checked before anything is written."""
        sheet = config.get("sheet", "Sheet1")
        if not isinstance(sheet, str) or not sheet.strip():
            return [("sheet", f"must be a non-empty sheet name, got {sheet!r}")]
        if len(sheet) > 31:
            return [("sheet", f"Excel sheet names have at most 31 characters: {sheet!r}")]
        bad = sorted(_BAD_SHEET_CHARS & set(sheet))
        if bad:
            return [("sheet", f"Excel sheet names cannot contain {' '.join(bad)}: {sheet!r}")]
        return []

    async def run(self, inputs: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
        """Write off the event loop; publish ``row_count``."""
        target = locate(self.config["output_path"])
        frame = await ctx.executor.run_in_thread(inputs["input"].to_pandas)
        await ctx.executor.run_in_thread(
            write_sheet,
            frame,
            target,
            str(self.config.get("sheet") or "Sheet1"),
            bool(self.config.get("header", True)),
            bool(self.config.get("keep_other_sheets", False)),
        )
        ctx.set_global("row_count", len(frame))
        return {}


def write_sheet(
    frame: pd.DataFrame, target: Location, sheet: str, header: bool, keep_other_sheets: bool
) -> None:
    """Build the workbook in memory (from the existing one when keeping its other sheets),
    then move it into place atomically."""
    import pandas as pd

    existing = keep_other_sheets and target.exists() and not target.is_dir()
    buffer = io.BytesIO(target.fs.cat_file(target.path) if existing else b"")
    options: dict[str, Any] = {"mode": "a", "if_sheet_exists": "replace"} if existing else {}
    try:
        with pd.ExcelWriter(buffer, engine="openpyxl", **options) as writer:
            frame.to_excel(writer, sheet_name=sheet, header=header, index=False)
    except (ValueError, TypeError) as err:
        raise ValueError(f"excel_sink: cannot write {target.given}: {err}") from err
    with atomic_output(target, ExcelSink.NAME) as temp, temp.fs.open(temp.path, "wb") as handle:
        handle.write(buffer.getvalue())
