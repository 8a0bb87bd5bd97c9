"""The built-in modules' plugin: what ``pip install pypeline-core`` alone can run."""

from __future__ import annotations

from pypeline.hookspecs import hookimpl
from pypeline.modules.mods.filter_mod import FilterMod
from pypeline.modules.sinks.log_row import LogRow
from pypeline.modules.solo.fail import Fail
from pypeline.modules.solo.sleep import Sleep
from pypeline.modules.solo.warn import Warn
from pypeline.modules.sources.fixed_rows import FixedRows
from pypeline.sdk.base import BaseModule


@hookimpl
def pypeline_modules() -> list[type[BaseModule]]:
    """The modules that ship with the core."""
    return [FixedRows, FilterMod, LogRow, Sleep, Fail, Warn]
