"""Entry point of the files pack: registers its modules with PYpeline.

Module classes are imported here, but each module keeps pandas and pyarrow imports inside the
functions that need them, so discovery stays fast.
"""

from __future__ import annotations

from pypeline import BaseModule, hookimpl
from pypeline_files.csv_source import CsvSource
from pypeline_files.parquet_sink import ParquetSink


@hookimpl
def pypeline_modules() -> list[type[BaseModule]]:
    """The file modules."""
    return [CsvSource, ParquetSink]
