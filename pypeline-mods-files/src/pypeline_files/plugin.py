"""Entry point of the files pack: registers its modules with PYpeline.

Module classes are imported inside the hook, so a run (which needs only the other hooks)
does not import them at all; and each module keeps pandas, pyarrow, dask, fsspec and
openpyxl imports inside the functions that need them, so discovery (and ``pype --help``) stays
fast.
"""

from __future__ import annotations

from pypeline import BaseModule, hookimpl


@hookimpl
def pypeline_modules() -> list[type[BaseModule]]:
    """The file modules: sources and sinks per format, then the file operations."""
    from pypeline_files.csv_sink import CsvSink
    from pypeline_files.csv_source import CsvSource
    from pypeline_files.excel_sink import ExcelSink
    from pypeline_files.excel_source import ExcelSource
    from pypeline_files.file_archive import FileArchive
    from pypeline_files.file_copy import FileCopy
    from pypeline_files.file_delete import FileDelete
    from pypeline_files.file_list import FileList
    from pypeline_files.file_move import FileMove
    from pypeline_files.json_sink import JsonSink
    from pypeline_files.json_source import JsonSource
    from pypeline_files.parquet_sink import ParquetSink
    from pypeline_files.parquet_source import ParquetSource

    return [
        CsvSource,
        CsvSink,
        ParquetSource,
        ParquetSink,
        JsonSource,
        JsonSink,
        ExcelSource,
        ExcelSink,
        FileList,
        FileCopy,
        FileMove,
        FileDelete,
        FileArchive,
    ]
