"""``fill_nulls_mod``: replace the nulls of some columns with a value per column (``fillna``).

The values come from YAML, so their shape is checked when the flow is built (one value per
column, never a list, a mapping or null) and their type against the columns' dtypes when it
runs (``fill_values``), before any row is touched; then pandas' ``fillna`` does the work, on
each partition in dask mode, so nothing is computed here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pypeline.modules.mods.fill_values import fitted, shape_problem
from pypeline.modules.mods.frame_errors import label, require_columns
from pypeline.sdk.base import BaseModule

if TYPE_CHECKING:
    from pypeline.sdk.context import RunContext


class FillNullsMod(BaseModule):
    """Give the nulls of the named columns a value."""

    NAME = "fill_nulls_mod"
    TYPE = "mod"
    CATEGORY = "Transforms"
    DESCRIPTION = """\
Replaces the nulls of the columns `values` names with that column's value (pandas' fillna);
other columns and non-null values are left as they are.

A null is a missing value: None, NaN, NaT or pandas' NA. Empty text ('') is a value, not a
null, and is not replaced (turn it into a null first with compute_mod and nullif(x, '')).

Each value must fit its column's type, or the run fails naming the column and the value
(nothing is converted behind your back):
  int columns       a whole number (2.0 is 2; 2.5 is refused)
  float columns     a number
  bool columns      true or false
  text columns      text: quote numbers in YAML ('00000', not 00000, which is the number 0)
  datetime columns  a date, a date-time, or text such as '2024-01-31 10:00'
  other columns     (mixed Python objects) any value
A value that is a list, a mapping or null fails the build (`pype validate`).

Example: {values: {country: unknown, discount: 0, vip: false, signed_on: 1970-01-01}}

Ports: `input` -> `output`."""
    INPUT_PORTS = ["input"]
    OUTPUT_PORTS = ["output"]
    CONFIG_SCHEMA = {
        "required": {
            "values": {
                "type": "dict",
                "description": "Column -> the value its nulls get, e.g. {country: unknown, "
                "discount: 0}; the value must fit the column's type.",
            }
        },
        "optional": {},
    }

    @classmethod
    def check_config(cls, config: dict[str, Any]) -> list[tuple[str, str]]:
        """A non-empty mapping of column name → one scalar value."""
        values = config.get("values")
        if values is None:
            return []  # a missing required key is the build's own error
        if not isinstance(values, dict) or not values:
            return [
                (
                    "values",
                    f"must map each column to a value, e.g. {{country: unknown}}, not {values!r}",
                )
            ]
        problems = [shape_problem(column, value) for column, value in values.items()]
        return [("values", problem) for problem in problems if problem]

    async def run(self, inputs: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
        where = label(ctx.node_id, self.NAME)
        frame = await ctx.executor.run_in_thread(inputs["input"].to_frame, ctx.execution_mode)
        values: dict[str, Any] = dict(self.config["values"])
        require_columns(frame.columns, values, where, "values")
        dtypes = frame.dtypes  # Dask: from its metadata, no rows read
        fills = {column: fitted(v, dtypes[column], column, where) for column, v in values.items()}
        if hasattr(frame, "map_partitions"):
            return {"output": frame.fillna(fills)}
        return {"output": await ctx.executor.run_in_thread(frame.fillna, fills)}
