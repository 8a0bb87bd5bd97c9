"""Run expression functions the way a flow does: ``compute_mod`` in pandas and in Dask mode.

``computed`` runs the expressions in both modes and asserts the two give the same frame (rows,
values and dtypes): a function whose result depended on how rows fall into partitions would
fail here. It returns the pandas run, whose globals hold ``values_nulled``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from pypeline.modules.mods.compute_mod import ComputeMod
from pypeline.testing import ModuleRun, run_module


def computed(frame: pd.DataFrame, **expressions: str) -> ModuleRun:
    """``compute_mod`` with ``expressions`` on ``frame``, pandas and Dask agreeing."""
    config = {"expressions": expressions}
    run = run_module(ComputeMod, config, {"input": frame})
    in_dask = run_module(ComputeMod, config, {"input": _dask(frame)}, mode="dask")
    pd.testing.assert_frame_equal(run.frame("output"), in_dask.frame("output"))
    return run


def _dask(frame: pd.DataFrame) -> Any:
    """Two partitions with the very dtypes of ``frame``: an object column holding numbers and
    text (as a JSON or SQL source gives) stays one, rather than Dask's ``string``."""
    import dask
    import dask.dataframe as dd

    with dask.config.set({"dataframe.convert-string": False}):
        return dd.from_pandas(frame, npartitions=2)


def column(frame: pd.DataFrame, expression: str) -> list[Any]:
    """The values of one expression on ``frame``, nulls as ``None``, both modes agreeing."""
    values = computed(frame, out=expression).frame("output")["out"]
    return [None if pd.isna(v) else v for v in values.astype(object)]


def nulled(frame: pd.DataFrame, **expressions: str) -> int:
    """The ``values_nulled`` a pandas-mode run of ``expressions`` published."""
    return int(computed(frame, **expressions).globals["values_nulled"])


def failure(frame: pd.DataFrame, expression: str) -> str:
    """The error text of a run (or build) that refuses ``expression``."""
    try:
        run_module(ComputeMod, {"expressions": {"out": expression}}, {"input": frame})
    except Exception as exc:  # ConfigError at build, FrameError at run: both tell the user
        return str(exc)
    raise AssertionError(f"{expression!r} was not refused")
