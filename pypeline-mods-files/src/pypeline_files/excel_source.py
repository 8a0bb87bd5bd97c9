"""``excel_source``: read one sheet of an Excel workbook (.xlsx, .xlsm) into rows.

The counterpart of Talend's tFileInputExcel. pandas reads the sheet through openpyxl; this
module adds what a flow needs around it: the sheet by name or position, a clear error listing
the sheets when it is not there, fsspec paths, and header-less columns named f0, f1, ...
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pypeline import BaseModule
from pypeline.sdk import checks
from pypeline_files.paths import locate, require_file

if TYPE_CHECKING:
    import pandas as pd

    from pypeline import RunContext
    from pypeline_files.paths import Location


class ExcelSource(BaseModule):
    """Reads an Excel sheet into a pandas DataFrame (pandas mode only)."""

    NAME = "excel_source"
    TYPE = "source"
    CATEGORY = "File Sources"
    DESCRIPTION = """\
Reads one sheet of an Excel workbook into rows (Talend's tFileInputExcel).

Reads one sheet of an Excel workbook (.xlsx or .xlsm, through openpyxl) and sends its rows on
`data`. Cell values keep their Excel types: numbers are int64 or float64, dates and times
datetime64, text str, empty cells null. Formulas give their last computed value (as saved by
Excel). This is pandas.read_excel(path, sheet_name=..., header=..., skiprows=...).

Options: `file_path` (required) is a local path, relative to the working directory, or an
fsspec URL. `sheet`: the sheet's name ("Orders") or its position from 0 (default 0: the first
sheet); a sheet that is not there fails the module with the list of the workbook's sheets.
`header` (true): the first row read names the columns; false: columns are f0, f1, ...
`skip_rows` (0): rows to skip at the top of the sheet, before the header (titles, notes).

Pandas mode only (DASK = False): openpyxl reads a workbook as one zip archive from one
process, so there is nothing for Dask to split; a flow in execution_mode: dask is refused at
build time. Export large sheets to CSV or Parquet for Dask. Legacy .xls files are not read.

Globals: `row_count` (rows on `data`), `file_size` (bytes). A missing file fails the module
with an error naming the path."""
    OUTPUT_PORTS = ["data"]
    GLOBALS = ["row_count", "file_size"]
    PACKAGES = ["pandas", "openpyxl", "fsspec"]
    # openpyxl parses a workbook in one process; a Dask frame would only wrap a full read.
    DASK = False
    CONFIG_SCHEMA = {
        "required": {
            "file_path": {
                "type": "str",
                "description": "Workbook to read (.xlsx, .xlsm): local path (relative to the "
                "working directory) or fsspec URL.",
            },
        },
        "optional": {
            "sheet": {
                "type": "any",
                "default": 0,
                "description": "Sheet name, or position from 0 (default: the first sheet).",
            },
            "header": {
                "type": "bool",
                "default": True,
                "description": "Whether the first row read (after skip_rows) names the columns.",
            },
            "skip_rows": {
                "type": "int",
                "default": 0,
                "description": "Rows to skip at the top of the sheet, before the header.",
            },
        },
    }

    @classmethod
    def check_config(cls, config: dict[str, Any]) -> list[tuple[str, str]]:
        """A sheet is a name or a position; legacy .xls is refused before the run."""
        problems = [*checks.whole_number(config, "skip_rows"), *_check_sheet(config)]
        path = config.get("file_path")
        if isinstance(path, str) and path.lower().endswith(".xls"):
            problems.append(("file_path", "legacy .xls workbooks are not supported (use .xlsx)"))
        return problems

    async def run(self, inputs: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
        """Read off the event loop; publish ``row_count`` and ``file_size``."""
        location = locate(self.config["file_path"])
        size = await ctx.executor.run_in_thread(require_file, location, self.NAME)
        frame = await ctx.executor.run_in_thread(
            read_sheet,
            location,
            self.config.get("sheet", 0),
            bool(self.config.get("header", True)),
            int(self.config.get("skip_rows") or 0),
        )
        ctx.set_global("row_count", len(frame))
        ctx.set_global("file_size", size)
        return {"data": frame}


def read_sheet(location: Location, sheet: str | int, header: bool, skip_rows: int) -> pd.DataFrame:
    """One sheet as a DataFrame; an unknown sheet is an error that lists the real ones."""
    import pandas as pd

    with location.fs.open(location.path, "rb") as handle:
        try:
            book = pd.ExcelFile(handle, engine="openpyxl")
        except Exception as err:  # openpyxl raises zipfile, KeyError, ... on non-workbooks
            message = f"excel_source: {location.given} is not an .xlsx workbook: {err}"
            raise ValueError(message) from err
        with book:
            names = list(book.sheet_names)
            if (isinstance(sheet, str) and sheet not in names) or (
                isinstance(sheet, int) and not 0 <= sheet < len(names)
            ):
                raise ValueError(
                    f"excel_source: {location.given} has no sheet {sheet!r} "
                    f"(sheets: {', '.join(names)})"
                )
            frame = pd.read_excel(
                book, sheet_name=sheet, header=0 if header else None, skiprows=skip_rows
            )
    if not header:
        frame.columns = [f"f{i}" for i in range(len(frame.columns))]
    return frame


def _check_sheet(config: dict[str, Any]) -> list[tuple[str, str]]:
    sheet = config.get("sheet", 0)
    if isinstance(sheet, bool) or not isinstance(sheet, str | int):
        return [("sheet", f"must be a sheet name or a position from 0, got {sheet!r}")]
    if isinstance(sheet, int) and sheet < 0:
        return [("sheet", f"a position counts from 0, got {sheet}")]
    return []
