"""The built-in modules' plugin: what ``pip install pypeline-core`` alone can run."""

from __future__ import annotations

from pypeline.hookspecs import hookimpl
from pypeline.modules.mods.aggregate_mod import AggregateMod
from pypeline.modules.mods.cast_mod import CastMod
from pypeline.modules.mods.compute_mod import ComputeMod
from pypeline.modules.mods.dedupe_mod import DedupeMod
from pypeline.modules.mods.drop_nulls_mod import DropNullsMod
from pypeline.modules.mods.fill_nulls_mod import FillNullsMod
from pypeline.modules.mods.filter_mod import FilterMod
from pypeline.modules.mods.join_mod import JoinMod
from pypeline.modules.mods.limit_mod import LimitMod
from pypeline.modules.mods.python_mod import PythonMod
from pypeline.modules.mods.select_mod import SelectMod
from pypeline.modules.mods.sort_mod import SortMod
from pypeline.modules.mods.union_mod import UnionMod
from pypeline.modules.sinks.log_row import LogRow
from pypeline.modules.solo.fail import Fail
from pypeline.modules.solo.sleep import Sleep
from pypeline.modules.solo.warn import Warn
from pypeline.modules.sources.fixed_rows import FixedRows
from pypeline.sdk.base import BaseModule


@hookimpl
def pypeline_modules() -> list[type[BaseModule]]:
    """The modules that ship with the core."""
    return [
        FixedRows,
        FilterMod,
        SelectMod,
        ComputeMod,
        CastMod,
        JoinMod,
        AggregateMod,
        SortMod,
        DedupeMod,
        DropNullsMod,
        FillNullsMod,
        UnionMod,
        LimitMod,
        PythonMod,
        LogRow,
        Sleep,
        Fail,
        Warn,
    ]
