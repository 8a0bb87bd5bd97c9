"""``aggregate_mod``: one row per group with counts, sums, means... (Talend's tAggregateRow).

``aggregations`` is written the way people say it, ``{n: "count(*)", total: "sum(amount)"}``
(SPEC §3), parsed by ``aggregations.parse`` at build time so a typo'd function fails the build
with the option named. Groups follow SQL rather than pandas' default: null keys form a group of
their own instead of silently losing their rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pypeline.modules.mods.aggregations import FUNCTIONS, Aggregation, aggregate, parse
from pypeline.modules.mods.frame_errors import FrameError, label, require_columns
from pypeline.sdk import checks
from pypeline.sdk.base import BaseModule

if TYPE_CHECKING:
    from pypeline.sdk.context import RunContext


class AggregateMod(BaseModule):
    """Group rows by key columns and compute one value per group and aggregation."""

    NAME = "aggregate_mod"
    TYPE = "mod"
    CATEGORY = "Transforms"
    DESCRIPTION = """\
Groups rows and computes one row per group: counts, sums, means (Talend's tAggregateRow).

The rows are grouped by `group_by`; `aggregations` maps each output column to func(column):

  count(c)                values of c that are not null
  count(*)                rows
  count_distinct(c)       distinct values of c, nulls not counted
  sum, mean, min, max(c)  of the values that are not null (the sum of none is 0)
  first, last(c)          the first / last value of c that is not null, in row order

Example: {group_by: [country], aggregations: {n: "count(*)", total: "sum(amount)"}}
gives the columns country, n, total.

Rows whose keys are null form a group of their own (as in SQL, unlike pandas' default). The
output has the group columns first, then the aggregations in the order given, sorted by the
group columns (nulls last). An empty `group_by` gives one row of grand totals, also for an
empty input (counts 0, the rest null). In dask mode the groups are gathered into one partition.

Ports: `input` -> `output`."""
    INPUT_PORTS = ["input"]
    OUTPUT_PORTS = ["output"]
    CONFIG_SCHEMA = {
        "required": {
            "group_by": {
                "type": "list",
                "description": "Columns whose values define a group; [] for grand totals.",
            },
            "aggregations": {
                "type": "dict",
                "description": "Output column -> func(column), e.g. {n: 'count(*)', "
                "total: 'sum(amount)'}; func: " + ", ".join(FUNCTIONS) + ".",
            },
        },
        "optional": {},
    }

    @classmethod
    def check_config(cls, config: dict[str, Any]) -> list[tuple[str, str]]:
        """Parse every aggregation now; output names must not repeat a group column."""
        group_by = config.get("group_by")
        problems = checks.column_names(config, "group_by")
        aggregations = config.get("aggregations")
        if aggregations is None:
            return problems
        mapping = checks.text_mapping(config, "aggregations", "func(column)")
        if mapping:
            return problems + mapping
        for output, text in aggregations.items():
            try:
                parse(output, text)
            except ValueError as exc:
                problems.append(("aggregations", f"{output}: {exc}"))
            if isinstance(group_by, list) and output in group_by:
                problems.append(("aggregations", f"{output}: is already a group_by column"))
        return problems

    async def run(self, inputs: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
        where = label(ctx.node_id, self.NAME)
        keys = list(self.config["group_by"] or [])
        specs = [parse(out, text) for out, text in self.config["aggregations"].items()]
        frame = await ctx.executor.run_in_thread(inputs["input"].to_frame, ctx.execution_mode)
        require_columns(frame.columns, keys, where, "group_by")
        for spec in specs:
            if spec.column is not None:
                require_columns(frame.columns, [spec.column], where, f"aggregations: {spec.output}")
        try:
            output = await ctx.executor.run_in_thread(aggregate, frame, keys, specs)
        except (TypeError, ValueError, NotImplementedError) as exc:
            raise FrameError(f"{where}: aggregations: {_culprit(frame, specs)}{exc}") from None
        return {"output": output}


def _culprit(frame: Any, specs: list[Aggregation]) -> str:
    """``mean(name): `` when a text column meets a numeric function, else ``""``."""
    numeric = ("sum", "mean")
    for spec in specs:
        if spec.func in numeric and spec.column is not None:
            dtype = frame[spec.column].dtype
            if dtype.kind not in "biufcmM":
                return f"{spec.output}: {spec.func}({spec.column}) needs numbers, not {dtype}: "
    return ""
