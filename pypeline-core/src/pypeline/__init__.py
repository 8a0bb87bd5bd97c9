"""PYpeline: Talend-style ETL flows in YAML, built into job folders and run on pandas or Dask.

The top package re-exports exactly what a module author needs, so a plugin writes
``from pypeline import BaseModule, RunContext, DataArtifact, hookimpl`` and nothing deeper.
Imports here stay light: no pandas, dask or pyarrow, so ``pype --help`` is instant.
"""

from pypeline.hookspecs import hookimpl
from pypeline.sdk.artifact import DataArtifact
from pypeline.sdk.base import BaseModule
from pypeline.sdk.context import RunContext

__version__ = "0.1.0"

__all__ = ["BaseModule", "DataArtifact", "RunContext", "__version__", "hookimpl"]
