"""``limit_mod``: a window of rows by position, ``offset`` then ``rows`` (Talend's tSampleRow).

For trying a flow on the first thousand rows, or paging through a large input. Dask has no row
positions across partitions, so it takes the first ``offset + rows`` rows of the whole frame
with ``head`` (lazily, as a one-partition frame) and drops the first ``offset`` of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pypeline.sdk import checks
from pypeline.sdk.base import BaseModule

if TYPE_CHECKING:
    import pandas as pd

    from pypeline.sdk.context import RunContext


class LimitMod(BaseModule):
    """Keep ``rows`` rows, starting after the first ``offset`` ones."""

    NAME = "limit_mod"
    TYPE = "mod"
    CATEGORY = "Transforms"
    DESCRIPTION = """\
Keeps at most `rows` rows after skipping `offset` rows (tSampleRow; SQL's LIMIT, OFFSET).

Rows are taken in input order; put a sort_mod first for "the
ten largest".

Example: {rows: 100, offset: 200} keeps rows 201 to 300 (fewer when the input is shorter).

In dask mode the result is one partition of at most offset + rows rows; every input partition
is read to find them, but only its first rows are kept.

Ports: `input` -> `output`."""
    INPUT_PORTS = ["input"]
    OUTPUT_PORTS = ["output"]
    CONFIG_SCHEMA = {
        "required": {
            "rows": {"type": "int", "description": "How many rows to keep at most (0 or more)."}
        },
        "optional": {
            "offset": {
                "type": "int",
                "default": 0,
                "description": "How many rows to skip first (0 or more).",
            }
        },
    }

    @classmethod
    def check_config(cls, config: dict[str, Any]) -> list[tuple[str, str]]:
        """Both counts are whole numbers, 0 or more."""
        return [
            *checks.whole_number(config, "offset", nullable=False),
            *checks.whole_number(config, "rows", nullable=False),
        ]

    async def run(self, inputs: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
        rows, offset = int(self.config["rows"]), int(self.config.get("offset") or 0)
        frame = await ctx.executor.run_in_thread(inputs["input"].to_frame, ctx.execution_mode)
        return {"output": await ctx.executor.run_in_thread(limit, frame, rows, offset)}


def limit(frame: Any, rows: int, offset: int) -> Any:
    """Rows ``offset`` to ``offset + rows`` (exclusive) of a pandas or Dask frame."""
    if not hasattr(frame, "map_partitions"):
        return frame.iloc[offset : offset + rows]
    head = frame.head(offset + rows, npartitions=-1, compute=False)
    return head.map_partitions(_skip, offset, meta=frame._meta) if offset else head


def _skip(part: pd.DataFrame, offset: int) -> pd.DataFrame:
    return part.iloc[offset:]
