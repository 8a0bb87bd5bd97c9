"""``fixed_rows``: rows written in the flow itself (Talend's tFixedFlowInput)."""

from __future__ import annotations

from typing import Any

from pypeline.sdk.base import BaseModule
from pypeline.sdk.context import RunContext


class FixedRows(BaseModule):
    """A small, literal data set: lookup tables, test data, a list to iterate over."""

    NAME = "fixed_rows"
    TYPE = "source"
    CATEGORY = "Misc"
    DESCRIPTION = """Emit the rows written in the flow (Talend's tFixedFlowInput).

`rows` is a list of mappings, one per row; the columns are the union of their keys, in order
of first appearance. A list of plain values (`[a, b, c]`, or `"{{ range(100) | list }}"`) gives
one column, `value`. The same rows are also offered on `items`, so an ITERATE connection can
loop over them.
"""
    OUTPUT_PORTS = ["data", "items"]
    GLOBALS = ["row_count"]
    CONFIG_SCHEMA = {
        "required": {
            "rows": {"type": "list", "description": "The rows: a list of column → value maps."}
        },
        "optional": {},
    }

    @classmethod
    def check_config(cls, config: dict[str, Any]) -> list[tuple[str, str]]:
        rows = config.get("rows")
        if isinstance(rows, list) and rows:
            mappings = [isinstance(row, dict) for row in rows]
            if any(mappings) and not all(mappings):
                return [("rows", "rows must be all mappings or all plain values, not a mix")]
        return []

    async def run(self, inputs: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
        import pandas as pd

        rows = list(self.config["rows"])
        ctx.set_global("row_count", len(rows))
        if rows and not isinstance(rows[0], dict):
            return {"data": pd.DataFrame({"value": rows}), "items": rows}
        return {"data": pd.DataFrame.from_records(rows), "items": rows}
