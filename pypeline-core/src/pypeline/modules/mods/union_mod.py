"""``union_mod``: the rows of two to four inputs, one after the other (Talend's tUnite).

Columns are matched by name, not position, because flows feed a union from different sources
whose columns rarely come in one order; a column some input lacks is null in that input's rows
(pandas' ``concat``). ``input3`` and ``input4`` are optional ports, so a two-way union needs no
dummy input.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pypeline.sdk.base import BaseModule

if TYPE_CHECKING:
    from pypeline.sdk.context import RunContext

PORTS = ["input1", "input2", "input3", "input4"]


class UnionMod(BaseModule):
    """Stack the rows of several inputs, matching columns by name."""

    NAME = "union_mod"
    TYPE = "mod"
    CATEGORY = "Transforms"
    DESCRIPTION = """\
Appends the rows of two to four inputs, matching columns by name (Talend's tUnite).

The rows of `input2` (and `input3`, `input4` when connected) follow those of `input1`.
Columns are matched by name: the output has every column of any input, in order of first
appearance, and a column an input lacks is null in its rows (the log says which columns were
filled so). `distinct: true` then removes duplicate rows, like SQL's UNION rather than UNION
ALL.

Example: "eu.output - all.input1", "us.output - all.input2" with `all` a union_mod.

Rows come in input order: input1's, then input2's, and so on (with distinct, the first copy of
each row is kept; in dask mode the order of distinct rows is not guaranteed).

Ports: `input1`, `input2` (required), `input3`, `input4` (optional) -> `output`."""
    INPUT_PORTS = PORTS
    OPTIONAL_INPUT_PORTS = ["input3", "input4"]
    OUTPUT_PORTS = ["output"]
    CONFIG_SCHEMA = {
        "required": {},
        "optional": {
            "distinct": {
                "type": "bool",
                "default": False,
                "description": "Remove duplicate rows after appending (SQL UNION).",
            }
        },
    }

    async def run(self, inputs: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
        mode = ctx.execution_mode
        frames = [
            await ctx.executor.run_in_thread(inputs[port].to_frame, mode)
            for port in PORTS
            if port in inputs
        ]
        columns = list(dict.fromkeys(c for frame in frames for c in frame.columns))
        for port, frame in zip((p for p in PORTS if p in inputs), frames, strict=True):
            missing = [str(c) for c in columns if c not in set(frame.columns)]
            if missing:
                ctx.logger.info("%s lacks %s: null in its rows", port, ", ".join(missing))
        distinct = bool(self.config.get("distinct"))
        return {"output": await ctx.executor.run_in_thread(union, frames, distinct)}


def union(frames: list[Any], distinct: bool) -> Any:
    """Concatenate pandas or Dask frames by column name; optionally drop duplicate rows."""
    if hasattr(frames[0], "map_partitions"):
        import dask.dataframe as dd

        concat: Any = dd.concat  # dask leaves it unannotated
        stacked = concat(frames)
        return stacked.drop_duplicates(split_out=stacked.npartitions) if distinct else stacked
    import pandas as pd

    stacked = pd.concat(frames, ignore_index=True)
    return stacked.drop_duplicates(ignore_index=True) if distinct else stacked
