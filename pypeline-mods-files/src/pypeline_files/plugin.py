"""Entry point of the files pack: registers its modules with PYpeline.

Module classes are imported here, but each module keeps pandas, pyarrow, dask and fsspec imports
inside the functions that need them, so discovery (and ``pype --help``) stays fast.
"""

from __future__ import annotations

from pypeline import BaseModule, hookimpl
from pypeline_files.csv_sink import CsvSink
from pypeline_files.csv_source import CsvSource
from pypeline_files.file_list import FileList
from pypeline_files.parquet_sink import ParquetSink
from pypeline_files.parquet_source import ParquetSource


@hookimpl
def pypeline_modules() -> list[type[BaseModule]]:
    """The file modules: CSV and Parquet sources and sinks, file listing."""
    return [CsvSource, CsvSink, ParquetSource, ParquetSink, FileList]
