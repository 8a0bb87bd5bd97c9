"""``drop_nulls_mod``: rows with nulls go to ``reject`` (pandas' ``dropna``, kept, not lost).

A data engineer who wants "no row with a null" should not have to list 27 columns in a
``filter_mod`` condition. Rows are split on one vectorized null mask; the reject rows and their
``error_message`` are built only when something reads them (``RejectedRows`` in pandas mode,
lazily in Dask). The message names the null columns: rows are grouped by their pattern of
nulls, so the text is made once per pattern, not once per row.

Dropping these rows is what the flow asked for, as with ``filter_mod``: ``REJECT_IS_FILTER``,
so they are counted in ``rows_rejected`` but an unread ``reject`` port is no loss and
``settings.rejects`` does not apply to them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pypeline.modules.mods.frame_errors import label, require_columns
from pypeline.modules.mods.lazy_rejects import RejectedRows
from pypeline.modules.mods.rejects import REASON, with_reasons
from pypeline.sdk import checks
from pypeline.sdk.base import BaseModule

if TYPE_CHECKING:
    import pandas as pd

    from pypeline.sdk.context import RunContext

HOW = ("any", "all")


class DropNullsMod(BaseModule):
    """Keep the rows without nulls; send the others to ``reject`` saying which were null."""

    NAME = "drop_nulls_mod"
    TYPE = "mod"
    CATEGORY = "Transforms"
    DESCRIPTION = """\
Sends the rows that have nulls to `reject` and the others to `output` (pandas' dropna).

`columns` are the columns looked at (default: all). `how` says which rows go:
  any  (default) a row with a null in any of `columns`
  all  a row whose `columns` are all null

A null is a missing value: None, NaN, NaT or pandas' NA. Empty text ('') and spaces are
values, not nulls (a CSV's empty fields are already nulls when csv_source reads them); make
them null first with compute_mod and nullif(x, '') if they mean "missing".

Each rejected row keeps its columns, plus `error_message` naming the null columns among
`columns`, e.g. "null in email, phone".

Example: {columns: [email, phone], how: all} drops the rows that have neither.

These rows were asked to be dropped, as filter_mod's are: they are counted in
`rows_rejected`, but a `reject` port that nothing reads is no loss (no rejects_dropped
warning) and settings.rejects does not apply to them. Nothing is computed here in dask mode.

Ports: `input` -> `output`, `reject`.
Globals: `rows_rejected`, the rows sent to `reject`."""
    INPUT_PORTS = ["input"]
    OUTPUT_PORTS = ["output", "reject"]
    REJECT_IS_FILTER = True  # the flow asked for these rows to go: no loss, no policy
    GLOBALS = ["rows_rejected"]
    CONFIG_SCHEMA = {
        "required": {},
        "optional": {
            "columns": {
                "type": "list",
                "default": None,
                "description": "Columns in which a null sends the row to `reject`; "
                "default: all columns.",
            },
            "how": {
                "type": "str",
                "default": "any",
                "description": "any: a null in any of `columns` drops the row; all: only "
                "rows where all of `columns` are null.",
            },
        },
    }

    @classmethod
    def check_config(cls, config: dict[str, Any]) -> list[tuple[str, str]]:
        """A known ``how`` and, when given, a non-empty list of distinct columns."""
        problems = checks.choice(config, "how", HOW, nullable=False)
        return problems + checks.column_names(config, "columns", allow_empty=False)

    async def run(self, inputs: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
        where = label(ctx.node_id, self.NAME)
        frame = await ctx.executor.run_in_thread(inputs["input"].to_frame, ctx.execution_mode)
        wanted = self.config.get("columns")
        if wanted:
            require_columns(frame.columns, wanted, where, "columns")
        columns = list(wanted or frame.columns)
        how = str(self.config.get("how") or "any")
        if hasattr(frame, "map_partitions"):
            return split_dask(frame, columns, how)
        return await ctx.executor.run_in_thread(split_pandas, frame, columns, how, ctx.node_id)


def split_pandas(frame: pd.DataFrame, columns: list[Any], how: str, node_id: str) -> dict[str, Any]:
    """``output`` now; ``reject`` as ``RejectedRows``, built on first read."""
    nulls = null_rows(frame, columns, how)
    output = frame[~nulls]

    def rejected() -> pd.DataFrame:
        rows = frame[nulls]
        return with_reasons(rows, reasons(rows, columns))

    return {"output": output, "reject": RejectedRows(rejected, len(frame) - len(output), node_id)}


def split_dask(frame: Any, columns: list[Any], how: str) -> dict[str, Any]:
    """Both ports as lazy Dask frames: the mask and the reasons are made per partition."""
    nulls = frame.map_partitions(null_rows, columns, how, meta=(None, bool))
    rows = frame[nulls]
    meta = (REASON, "string")
    return {
        "output": frame[~nulls],
        "reject": with_reasons(rows, rows.map_partitions(reasons, columns, meta=meta)),
    }


def null_rows(part: pd.DataFrame, columns: list[Any], how: str) -> pd.Series:
    """The rows ``how`` sends to ``reject``: a null in any, or in all, of ``columns``."""
    nulls = part[columns].isna()
    return nulls.any(axis=1) if how == "any" else nulls.all(axis=1)


def reasons(rows: pd.DataFrame, columns: list[Any]) -> pd.Series:
    """``null in a, b`` per row, made once per pattern of null columns."""
    import numpy as np
    import pandas as pd

    nulls = rows[columns].isna().to_numpy(dtype=bool).reshape(len(rows), len(columns))
    patterns, which = np.unique(nulls, axis=0, return_inverse=True)
    texts = np.array(
        [
            "null in " + ", ".join(str(c) for c, null in zip(columns, p, strict=True) if null)
            for p in patterns
        ],
        dtype=object,
    )
    picked = texts[which.reshape(-1)] if len(rows) else np.array([], dtype=object)
    return pd.Series(picked, index=rows.index, dtype="string")
