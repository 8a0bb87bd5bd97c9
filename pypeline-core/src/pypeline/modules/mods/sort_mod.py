"""``sort_mod``: order the rows by one or more columns (Talend's tSortRow).

``by`` is short to write (``[country, -amount]``) and has a long form for the rare column whose
name starts with ``-``. Pandas sorts stably, so rows with equal keys keep their input order, as
Talend users expect; Dask sorts globally across partitions (it samples the first key to
partition, a pass over the data), and ties have no guaranteed order there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pypeline.modules.mods.frame_errors import FrameError, label, require_columns
from pypeline.sdk import checks
from pypeline.sdk.base import BaseModule

if TYPE_CHECKING:
    from pypeline.sdk.context import RunContext

Key = tuple[str, bool]  # column, ascending


class SortMod(BaseModule):
    """Sort rows by columns, each ascending or descending."""

    NAME = "sort_mod"
    TYPE = "mod"
    CATEGORY = "Transforms"
    DESCRIPTION = """\
Sorts the rows by one or more columns (Talend's tSortRow).

`by` lists the sort columns, most significant first:
a column name sorts ascending, `-name` descending. The long form {column: name, descending:
true} is for a column whose name starts with '-'.

Example: {by: [country, -amount]}: by country A to Z, then the largest amounts first.

Nulls go last unless `na_position: first`. Rows with equal keys keep their input order in
pandas mode; in dask mode the sort is global across partitions, and the order of ties is not
guaranteed.

Ports: `input` -> `output`."""
    INPUT_PORTS = ["input"]
    OUTPUT_PORTS = ["output"]
    CONFIG_SCHEMA = {
        "required": {
            "by": {
                "type": "list",
                "description": "Sort columns, most significant first: 'name' ascending, "
                "'-name' descending, or {column: name, descending: true}.",
            }
        },
        "optional": {
            "na_position": {
                "type": "str",
                "default": "last",
                "description": "Where null values go: last (default) or first.",
            }
        },
    }

    @classmethod
    def check_config(cls, config: dict[str, Any]) -> list[tuple[str, str]]:
        """Every ``by`` entry parses; no column twice; a known ``na_position``."""
        problems = checks.choice(config, "na_position", ("last", "first"), nullable=False)
        by = config.get("by")
        if by is None:
            return problems
        try:
            keys = parse_by(by)
        except ValueError as exc:
            return [*problems, ("by", str(exc))]
        return problems + checks.column_names({"by": [c for c, _ in keys]}, "by")

    async def run(self, inputs: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
        where = label(ctx.node_id, self.NAME)
        keys = parse_by(self.config["by"])
        na_position = str(self.config.get("na_position") or "last")
        frame = await ctx.executor.run_in_thread(inputs["input"].to_frame, ctx.execution_mode)
        require_columns(frame.columns, [column for column, _ in keys], where, "by")
        output = await ctx.executor.run_in_thread(sort, frame, keys, na_position, where)
        return {"output": output}


def parse_by(by: Any) -> list[Key]:
    """``[a, -b, {column: c, descending: true}]`` → ``[(a, True), (b, False), (c, False)]``."""
    if not isinstance(by, list) or not by:
        raise ValueError(f"must list at least one column, e.g. [country, -amount], not {by!r}")
    keys: list[Key] = []
    for item in by:
        if isinstance(item, str) and item.strip("-"):
            keys.append((item[1:], False) if item.startswith("-") else (item, True))
        elif isinstance(item, dict) and isinstance(item.get("column"), str) and item["column"]:
            unknown = set(item) - {"column", "descending"}
            descending = item.get("descending", False)
            if unknown or not isinstance(descending, bool):
                raise ValueError(f"{item!r}: takes column and descending (true or false)")
            keys.append((item["column"], not descending))
        else:
            raise ValueError(f"{item!r} is not a column name, -name or {{column: name}}")
    return keys


def sort(frame: Any, keys: list[Key], na_position: str, where: str) -> Any:
    """Sort a pandas frame stably, a Dask frame globally."""
    columns = [column for column, _ in keys]
    ascending = [up for _, up in keys]
    try:
        if hasattr(frame, "map_partitions"):
            return frame.sort_values(columns, ascending=ascending, na_position=na_position)
        return frame.sort_values(
            columns, ascending=ascending, na_position=na_position, kind="stable"
        )
    except (TypeError, ValueError) as exc:
        raise FrameError(f"{where}: by: cannot sort by {', '.join(columns)}: {exc}") from None
