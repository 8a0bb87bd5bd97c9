"""``join_mod``: join two inputs on key columns (Talend's tJoin, tMap's joins).

``output`` is exactly pandas' ``merge`` (Dask's in dask mode): the same rows, columns and
suffixes a hand-written merge gives. ``reject`` answers the Talend question "which main rows
found no lookup row?": with ``inner`` (and ``right``) those left rows are dropped from
``output``, so they go to ``reject`` with the reason, and no left row disappears unseen; with
``left`` and ``outer`` they are already in ``output``, so ``reject`` is empty. Unmatched rows are
found with a second merge against the right side's distinct keys, so they follow merge's own
matching rules (nulls match nulls, 1 matches 1.0) in both modes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pypeline.modules.mods.frame_errors import FrameError, label, require_columns
from pypeline.modules.mods.rejects import no_rows, with_reasons
from pypeline.sdk import checks
from pypeline.sdk.base import BaseModule

if TYPE_CHECKING:
    from pypeline.sdk.context import RunContext

HOWS = ("inner", "left", "right", "outer")


class JoinMod(BaseModule):
    """Combine each left row with the right rows that share its keys."""

    NAME = "join_mod"
    TYPE = "mod"
    CATEGORY = "Transforms"
    DESCRIPTION = """\
Joins `left` with `right` on key columns (Talend's tJoin, tMap's joins).

Give `on` (a column, or a list of columns, that both inputs have) or `left_on` and `right_on`
(lists of the same length when the names differ).

  how: inner  (default) rows whose keys are on both sides
       left   every left row; right columns are null when nothing matches
       right  every right row; left columns are null when nothing matches
       outer  every row of both sides

Several right rows matching one left row give one output row each. Columns other than the
keys that both sides have get `suffixes` (default _left and _right). Null keys match null keys,
as in pandas.

`reject` gets the left rows that matched no right row when `how` drops them (inner, right), with
`error_message` "no match in right for customer_id=42"; with left and outer they stay in
`output`, so `reject` is empty.

Example: {"on": customer_id} or {left_on: [cust, country], right_on: [id, country], how: left}
(quote "on": YAML 1.1 reads a bare on as true)

Ports: `left`, `right` -> `output`, `reject`."""
    INPUT_PORTS = ["left", "right"]
    OUTPUT_PORTS = ["output", "reject"]
    CONFIG_SCHEMA = {
        "required": {},
        "optional": {
            "on": {
                "type": "any",
                "default": None,
                "description": "Key column (or list of columns) that both inputs have.",
            },
            "left_on": {
                "type": "any",
                "default": None,
                "description": "Key column(s) of `left`, when the names differ (with right_on).",
            },
            "right_on": {
                "type": "any",
                "default": None,
                "description": "Key column(s) of `right`, in the same order as left_on.",
            },
            "how": {
                "type": "str",
                "default": "inner",
                "description": "inner (default), left, right or outer.",
            },
            "suffixes": {
                "type": "list",
                "default": ["_left", "_right"],
                "description": "Two suffixes for the non-key columns both inputs have.",
            },
        },
    }

    @classmethod
    def check_config(cls, config: dict[str, Any]) -> list[tuple[str, str]]:
        """Keys given one way or the other, lists that line up, a known ``how``."""
        problems = checks.choice(config, "how", HOWS, nullable=False)
        suffixes = config.get("suffixes", ["_left", "_right"])
        two = isinstance(suffixes, list) and len(suffixes) == 2
        if not (two and all(isinstance(x, str) for x in suffixes) and suffixes[0] != suffixes[1]):
            problems.append(("suffixes", f"must be two different texts, not {suffixes!r}"))
        on, left_on, right_on = (config.get(k) for k in ("on", "left_on", "right_on"))
        if on is not None and (left_on is not None or right_on is not None):
            return [*problems, ("on", "give either on, or left_on and right_on, not both")]
        if on is None and (left_on is None or right_on is None):
            return [*problems, ("on", "give on, or both left_on and right_on")]
        for key in ("on", "left_on", "right_on"):
            problems += checks.column_names(
                {key: _as_list(config.get(key))}, key, allow_empty=False
            )
        if left_on is not None and len(_as_list(left_on)) != len(_as_list(right_on)):
            problems.append(("right_on", "must name as many columns as left_on"))
        return problems

    async def run(self, inputs: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
        where = label(ctx.node_id, self.NAME)
        mode = ctx.execution_mode
        left = await ctx.executor.run_in_thread(inputs["left"].to_frame, mode)
        right = await ctx.executor.run_in_thread(inputs["right"].to_frame, mode)
        return await ctx.executor.run_in_thread(join, left, right, self.config, where)


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


def join(left: Any, right: Any, config: dict[str, Any], where: str) -> dict[str, Any]:
    """``output`` and ``reject`` of one join, on pandas or Dask frames."""
    how = config.get("how") or "inner"
    if config.get("on") is not None:
        left_keys = right_keys = list(_as_list(config["on"]))
        left_key = right_key = "on"
    else:
        left_keys = list(_as_list(config["left_on"]))
        right_keys = list(_as_list(config["right_on"]))
        left_key, right_key = "left_on", "right_on"
    require_columns(left.columns, left_keys, f"{where}: left input", left_key)
    require_columns(right.columns, right_keys, f"{where}: right input", right_key)
    suffixes = tuple(config.get("suffixes") or ("_left", "_right"))
    try:
        output = left.merge(
            right, how=how, left_on=left_keys, right_on=right_keys, suffixes=suffixes
        )
        reject = (
            unmatched(left, right, left_keys, right_keys) if how in ("inner", "right") else None
        )
    except (ValueError, TypeError) as exc:
        why = _key_types(left, right, left_keys, right_keys) or str(exc)
        raise FrameError(f"{where}: cannot join on {', '.join(left_keys)}: {why}") from None
    return {"output": output, "reject": no_rows(left) if reject is None else reject}


def unmatched(left: Any, right: Any, left_keys: list[str], right_keys: list[str]) -> Any:
    """The left rows with no right row, each with the reason: an anti-join by merge."""
    taken = set(left.columns)
    temp = [_unused(f"__right_key{i}", taken) for i in range(len(right_keys))]
    flag = _unused("__join_match", taken)
    renamed = right[right_keys].rename(columns=dict(zip(right_keys, temp, strict=True)))
    keys = renamed.drop_duplicates()
    marked = left.merge(keys, how="left", left_on=left_keys, right_on=temp, indicator=flag)
    rows = marked[marked[flag] == "left_only"].drop(columns=[*temp, flag])
    return with_reasons(rows, _reasons(rows, left_keys))


def _reasons(rows: Any, keys: list[str]) -> Any:
    """``no match in right for a=1, b=x`` per row; works on pandas and Dask columns alike."""
    text: Any = "no match in right for "
    for i, key in enumerate(keys):
        value = rows[key].astype("string").fillna("null")
        text = text + ("" if i == 0 else ", ") + f"{key}=" + value
    return text


def _key_types(left: Any, right: Any, left_keys: list[str], right_keys: list[str]) -> str:
    """Which key pair holds different kinds of values (pandas' own text suggests concat)."""
    for left_key, right_key in zip(left_keys, right_keys, strict=True):
        a, b = left[left_key].dtype, right[right_key].dtype
        if a.kind != b.kind and not {a.kind, b.kind} <= set("iuf"):  # 1 joins 1.0
            return (
                f"left {left_key} holds {a} values, right {right_key} holds {b}; "
                "convert one side with cast_mod"
            )
    return ""


def _unused(name: str, taken: set[str]) -> str:
    while name in taken:
        name += "_"
    return name
