"""``dedupe_mod``: one row per key, the repeats on their own port (Talend's tUniqRow).

Pandas marks repeats with ``duplicated`` in one pass. Dask cannot see two partitions at once, so
rows are numbered in input order, shuffled by the key columns (every copy of a key lands in the
same partition), put back in input order inside each partition and marked there: the same rows
are kept as in pandas, and nothing is computed until a sink asks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pypeline.modules.mods.frame_errors import label, require_columns
from pypeline.sdk import checks
from pypeline.sdk.base import BaseModule

if TYPE_CHECKING:
    import pandas as pd

    from pypeline.sdk.context import RunContext

KEEP = {"first": "first", "last": "last", "none": False}


class DedupeMod(BaseModule):
    """Split rows into the first (or last) of each key and the duplicates."""

    NAME = "dedupe_mod"
    TYPE = "mod"
    CATEGORY = "Transforms"
    DESCRIPTION = """\
Removes duplicate rows and sends the repeats to `duplicates` (Talend's tUniqRow).

Rows are duplicates when they have the same values in the `subset` columns (default: all
columns); nulls equal nulls here.

  keep: first  (default) the first row of each key goes to `output`, the others to `duplicates`
        last   the last row of each key goes to `output`
        none   only keys that occur once go to `output`; every copy of a repeated key goes
               to `duplicates`

Example: {subset: [email], keep: last} keeps the latest row per email.

Pandas mode keeps the input order. In dask mode rows are shuffled by key (each key's rows meet
in one partition), so the same rows are kept but come out grouped by partition, not in input
order.

Ports: `input` -> `output`, `duplicates`."""
    INPUT_PORTS = ["input"]
    OUTPUT_PORTS = ["output", "duplicates"]
    CONFIG_SCHEMA = {
        "required": {},
        "optional": {
            "subset": {
                "type": "list",
                "default": None,
                "description": "Columns that make a row's key; default: all columns.",
            },
            "keep": {
                "type": "str",
                "default": "first",
                "description": "Which row of a key goes to `output`: first, last or none.",
            },
        },
    }

    @classmethod
    def check_config(cls, config: dict[str, Any]) -> list[tuple[str, str]]:
        """A known ``keep`` and, when given, a non-empty list of distinct columns."""
        problems = checks.choice(config, "keep", KEEP, nullable=False)
        return problems + checks.column_names(config, "subset", allow_empty=False)

    async def run(self, inputs: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
        where = label(ctx.node_id, self.NAME)
        frame = await ctx.executor.run_in_thread(inputs["input"].to_frame, ctx.execution_mode)
        subset = self.config.get("subset")
        if subset:
            require_columns(frame.columns, subset, where, "subset")
        keep = KEEP[str(self.config.get("keep") or "first")]
        columns = list(subset or frame.columns)
        output, duplicates = await ctx.executor.run_in_thread(dedupe, frame, columns, keep)
        return {"output": output, "duplicates": duplicates}


def dedupe(frame: Any, subset: list[str], keep: str | bool) -> tuple[Any, Any]:
    """``(output, duplicates)`` of a pandas frame, or of a Dask frame, lazily."""
    if not hasattr(frame, "map_partitions"):
        repeated = frame.duplicated(subset, keep=keep)
        return frame[~repeated], frame[repeated]
    order, flag = _unused("__row_order", frame.columns), _unused("__repeated", frame.columns)
    numbered = frame.assign(**{order: 1})
    numbered = numbered.assign(**{order: numbered[order].cumsum()})
    marked = numbered.shuffle(on=subset).map_partitions(_mark, subset, keep, order, flag)
    repeated = marked[flag]
    return (
        marked[~repeated].drop(columns=[order, flag]),
        marked[repeated].drop(columns=[order, flag]),
    )


def _mark(part: pd.DataFrame, subset: list[str], keep: str | bool, order: str, flag: str) -> Any:
    part = part.sort_values(order, kind="stable")
    return part.assign(**{flag: part.duplicated(subset, keep=keep)})  # type: ignore[arg-type]


def _unused(name: str, columns: Any) -> str:
    while name in set(columns):
        name += "_"
    return name
