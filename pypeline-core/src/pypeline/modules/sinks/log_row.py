"""``log_row``: show the first rows of a flow in the job log (Talend's tLogRow).

The quickest way to see what a flow produces without writing a file. It logs through
``ctx.logger``, so the rows land in the console and in ``log.jsonl`` like every other message,
tagged with the node. On Dask it never gathers the whole frame: each partition gives only its
first ``limit`` rows and its length, in one pass.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pypeline.sdk.base import BaseModule

if TYPE_CHECKING:
    import pandas as pd

    from pypeline.sdk.artifact import DataArtifact
    from pypeline.sdk.context import RunContext

#: Cells wider than this are cut with "...", so one long text column cannot hide the others.
MAX_CELL_WIDTH = 60


class LogRow(BaseModule):
    """Log a table of the first ``limit`` rows and the total row count."""

    NAME = "log_row"
    TYPE = "sink"
    CATEGORY = "Logs & Errors"
    DESCRIPTION = f"""\
Writes the first `limit` rows of its input to the job log as a table, then a line with the total
number of rows (Talend's tLogRow). The rows appear on the console and in the run's log.jsonl.

Example: connect `filter_adults.output - show.input` with `show` a log_row and `limit: 5` to see
five of the rows the filter kept.

Cells longer than {MAX_CELL_WIDTH} characters are cut. `limit: 0` logs only the row count.
In dask mode only the first `limit` rows of each partition are collected; counting the rows still
reads the whole input once.

Ports: `input` (no output)."""
    INPUT_PORTS = ["input"]
    CONFIG_SCHEMA = {
        "required": {},
        "optional": {
            "limit": {
                "type": "int",
                "default": 20,
                "description": "Rows to show (0 or more); the total count is always logged.",
            }
        },
    }

    @classmethod
    def check_config(cls, config: dict[str, Any]) -> list[tuple[str, str]]:
        """``limit`` must be a whole number ≥ 0 (``True`` is not a number of rows)."""
        limit = config.get("limit", 20)
        if isinstance(limit, bool) or not isinstance(limit, int):
            return [("limit", f"must be a whole number of rows (0 or more), not {limit!r}")]
        if limit < 0:
            return [("limit", f"must be 0 or more, not {limit}")]
        return []

    async def run(self, inputs: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
        limit = int(self.config.get("limit", 20))
        artifact: DataArtifact = inputs["input"]
        if ctx.execution_mode == "dask":
            head, total = await ctx.executor.run_in_thread(_dask_head, artifact, limit)
        else:
            head, total = await ctx.executor.run_in_thread(_pandas_head, artifact, limit)
        if limit > 0:
            table = await ctx.executor.run_in_thread(_table, head)
            ctx.logger.info("first %s:\n%s", _rows(len(head)), table)
        ctx.logger.info("%s in total", _rows(total))
        return {}


def _pandas_head(artifact: DataArtifact, limit: int) -> tuple[pd.DataFrame, int]:
    frame = artifact.to_pandas()
    return frame.head(limit), len(frame)


def _dask_head(artifact: DataArtifact, limit: int) -> tuple[pd.DataFrame, int]:
    """One pass: every partition yields its first ``limit`` rows and its length, nothing more."""
    import pandas as pd
    from dask.base import compute
    from dask.delayed import delayed

    frame: Any = artifact.to_frame("dask")
    parts = [delayed(_head_and_length)(p, limit) for p in frame.to_delayed()]
    pieces: Any = compute(*parts)  # type: ignore[no-untyped-call]  # dask is untyped here
    head = pd.concat([head for head, _ in pieces]).head(limit)  # Dask has ≥ 1 partition
    return head, sum(length for _, length in pieces)


def _head_and_length(part: pd.DataFrame, limit: int) -> tuple[pd.DataFrame, int]:
    return part.head(limit), len(part)


def _table(head: pd.DataFrame) -> str:
    if head.empty:
        columns = ", ".join(str(c) for c in head.columns) or "none"
        return f"(no rows; columns: {columns})"
    return str(head.to_string(index=False, max_colwidth=MAX_CELL_WIDTH))


def _rows(n: int) -> str:
    return f"{n:,} row" + ("" if n == 1 else "s")
