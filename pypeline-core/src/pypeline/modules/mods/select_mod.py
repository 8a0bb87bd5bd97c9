"""``select_mod``: keep, drop, rename and reorder columns (Talend's tFilterColumns).

The four options apply in a fixed order (keep, drop, rename, order) so a flow reads the same
whatever order its YAML lists them in: ``keep`` and ``drop`` name the input's columns, ``order``
names the output's. Only column labels change, so on Dask nothing is computed: the same calls
build the graph lazily.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pypeline.modules.mods.frame_errors import FrameError, label, require_columns
from pypeline.sdk import checks
from pypeline.sdk.base import BaseModule

if TYPE_CHECKING:
    from pypeline.sdk.context import RunContext

OPTIONS = ("keep", "drop", "rename", "order")


class SelectMod(BaseModule):
    """Shape the columns of a frame without touching its rows."""

    NAME = "select_mod"
    TYPE = "mod"
    CATEGORY = "Transforms"
    DESCRIPTION = """\
Keeps, drops, renames and reorders columns (Talend's tFilterColumns).

Give at least one of the four options (keep or drop, not both); they apply in this order,
whatever order the flow lists them in:

  1. keep:   only these columns, in this order
  2. drop:   remove these columns (the others stay)
  3. rename: old name -> new name
  4. order:  these columns first, in this order (names after renaming); the others follow
             in their current order

Example: {keep: [id, name, amount], rename: {amount: total_eur}, order: [name]}
gives the columns name, id, total_eur.

A column that is not in the input is a run error that names the option and lists the
columns there are. Renaming onto a name that another remaining column has is an error too.
Rows are not touched; in dask mode nothing is computed.

Ports: `input` -> `output`."""
    INPUT_PORTS = ["input"]
    OUTPUT_PORTS = ["output"]
    CONFIG_SCHEMA = {
        "required": {},
        "optional": {
            "keep": {
                "type": "list",
                "default": None,
                "description": "Columns to keep, in this order; every other column is dropped.",
            },
            "drop": {
                "type": "list",
                "default": None,
                "description": "Columns to remove; the others stay (not with `keep`).",
            },
            "rename": {
                "type": "dict",
                "default": None,
                "description": "Old name -> new name, e.g. {amount: total} (after keep/drop).",
            },
            "order": {
                "type": "list",
                "default": None,
                "description": "Columns to put first, in this order, by their names after "
                "`rename`; the other columns follow in their current order.",
            },
        },
    }

    @classmethod
    def check_config(cls, config: dict[str, Any]) -> list[tuple[str, str]]:
        """At least one option; lists of distinct names, keep or drop (not both), a rename that
        keeps names unique."""
        problems = checks.given(config, OPTIONS, f"give at least one of {', '.join(OPTIONS)}")
        problems += [
            p
            for key in ("keep", "drop", "order")
            for p in checks.column_names(config, key, allow_empty=key != "keep")
        ]
        if config.get("keep") is not None and config.get("drop") is not None:
            problems.append(("drop", "give keep or drop, not both (keep already drops the rest)"))
        rename = config.get("rename")
        if rename is not None:
            problems.extend(checks.text_mapping(config, "rename", "its new name"))
            news = list(rename.values()) if isinstance(rename, dict) else []
            twice = sorted({n for n in news if news.count(n) > 1}, key=str)
            if twice:
                problems.append(("rename", f"gives two columns the name {twice[0]!r}"))
        return problems

    async def run(self, inputs: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
        where = label(ctx.node_id, self.NAME)
        mode = ctx.execution_mode
        frame = await ctx.executor.run_in_thread(inputs["input"].to_frame, mode)
        return {"output": select(frame, self.config, where)}


def select(frame: Any, config: dict[str, Any], where: str) -> Any:
    """Apply keep, drop, rename and order to a pandas or Dask frame."""
    keep, drop = config.get("keep"), config.get("drop")
    rename, order = config.get("rename"), config.get("order")
    if keep is not None:
        require_columns(frame.columns, keep, where, "keep")
        frame = frame[list(keep)]
    if drop:
        require_columns(frame.columns, drop, where, "drop")
        frame = frame.drop(columns=list(drop))
    if rename:
        require_columns(frame.columns, rename, where, "rename")
        names = [rename.get(c, c) for c in frame.columns]
        clash = next((n for n in names if names.count(n) > 1), None)
        if clash is not None:
            raise FrameError(f"{where}: rename: two columns would be named {clash!r}")
        frame = frame.rename(columns=dict(rename))
    if order:
        require_columns(frame.columns, order, where, "order")
        frame = frame[[*order, *(c for c in frame.columns if c not in set(order))]]
    return frame
