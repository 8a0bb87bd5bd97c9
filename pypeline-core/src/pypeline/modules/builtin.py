"""The built-in modules' plugin: what ``pip install pypeline-core`` alone can run."""

from __future__ import annotations

from pypeline.hookspecs import hookimpl
from pypeline.modules.mods.filter_mod import FilterMod
from pypeline.modules.sinks.log_row import LogRow
from pypeline.sdk.base import BaseModule


@hookimpl
def pypeline_modules() -> list[type[BaseModule]]:
    """The modules that ship with the core."""
    return [FilterMod, LogRow]
