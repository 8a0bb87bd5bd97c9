"""``upper_mod``: upper-case text columns.

A transform that works in both execution modes: the same column operations build a pandas
result or a lazy Dask graph, and the module never computes a Dask frame itself.
"""

from __future__ import annotations

from typing import Any

from pypeline import BaseModule, DataArtifact, RunContext


class UpperMod(BaseModule):
    """Upper-case the listed columns, or every text column."""

    NAME = "upper_mod"
    TYPE = "mod"
    VERSION = "0.1.0"
    CATEGORY = "Examples"
    DESCRIPTION = """\
Upper-cases text columns: "Hello, Ada!" becomes "HELLO, ADA!". Other columns and nulls pass
through unchanged.

Example: `columns: [message]` upper-cases only `message`; leaving `columns` empty upper-cases
every text column.

Ports: `input` -> `output`."""
    INPUT_PORTS = ["input"]
    OUTPUT_PORTS = ["output"]
    CONFIG_SCHEMA = {
        "required": {},
        "optional": {
            "columns": {
                "type": "list",
                "default": [],
                "description": "Columns to upper-case; empty (the default) means every text "
                "column.",
            }
        },
    }

    @classmethod
    def check_config(cls, config: dict[str, Any]) -> list[tuple[str, str]]:
        columns = config.get("columns", [])
        if not isinstance(columns, list) or not all(isinstance(c, str) for c in columns):
            return [("columns", f"must be a list of column names, not {columns!r}")]
        return []

    async def run(self, inputs: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
        artifact: DataArtifact = inputs["input"]
        columns = [str(c) for c in self.config.get("columns") or []]
        if ctx.execution_mode == "dask":  # lazy: building the graph is cheap, Dask runs it later
            return {"output": _upper(artifact.to_frame("dask"), columns)}
        frame = await ctx.executor.run_in_thread(artifact.to_pandas)
        return {"output": await ctx.executor.run_in_thread(_upper, frame, columns)}


def _upper(frame: Any, columns: list[str]) -> Any:
    """``frame`` (pandas or Dask) with ``columns``, or every text column, upper-cased."""
    import pandas as pd

    missing = [c for c in columns if c not in frame.columns]
    if missing:
        known = ", ".join(str(c) for c in frame.columns)
        raise ValueError(f"upper_mod: unknown column {missing[0]!r} (columns: {known})")
    if not columns:
        columns = [str(c) for c, dtype in frame.dtypes.items() if isinstance(dtype, pd.StringDtype)]
    return frame.assign(**{c: frame[c].str.upper() for c in columns})
