"""``filter_mod``: keep the rows that meet a condition, reject the others (Talend's tFilterRow).

The condition is the safe expression language of ``expressions``: compiled at build time by
``check_config`` (so an injection attempt never reaches a run), evaluated once per run as one
boolean mask over whole columns (functions included: ``lower(country) == 'fr'``). A condition
that converts (``to_number(price) > 10``) counts the values it could not read as
``values_nulled`` in pandas mode (a Dask partition is evaluated later, by whoever computes it).
``output`` is ``frame[mask]``, exactly what hand-written pandas
does. The ``reject`` rows are selected only when a downstream module reads them: in pandas mode
the port carries a ``RejectedRows`` artifact, because building a frame nobody reads would cost a
third of the filter's time (the engine cannot yet tell a module which ports are connected).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pypeline.expressions.expressions import (
    SYNTAX_HELP,
    Expression,
    ExpressionError,
    NullTally,
    UnknownColumnError,
    compile_expression,
)
from pypeline.modules.mods.lazy_rejects import RejectedRows
from pypeline.sdk.base import BaseModule

if TYPE_CHECKING:
    import dask.dataframe as dd
    import pandas as pd
    import pyarrow as pa

    from pypeline.sdk.artifact import DataArtifact
    from pypeline.sdk.context import RunContext


class FilterMod(BaseModule):
    """Split the input into the rows that meet ``condition`` and the rows that do not."""

    NAME = "filter_mod"
    TYPE = "mod"
    CATEGORY = "Transforms"
    DESCRIPTION = f"""\
Keeps the rows for which `condition` is true and sends the other rows to `reject` (Talend's
tFilterRow). The condition is evaluated on whole columns at once, never with Python's eval, and
is checked when the flow is built.

Examples:
  age > 18
  country in ['FR', 'DE'] and not (status == 'closed')
  18 <= age < 65 & (vip | amount * 1.2 >= 100)
  `first name` == 'Ada' or email is None
  lower(strip(country)) == 'fr' and to_number(price) > 100

{SYNTAX_HELP}

Ports: `input` -> `output` (rows where the condition is true) and `reject` (rows where it is
false or null, plus an `error_message` column: "condition not met: <condition>").
Globals: `rows_kept`, the number of rows on `output`; `rows_rejected`, on `reject`;
`values_nulled` when the condition converts (to_number, to_int, ...): the values it could not
read, which count as null (a warning says how many; pandas mode only: in dask mode partitions
are evaluated when the data is computed, usually at the sink, and are not counted)."""
    INPUT_PORTS = ["input"]
    OUTPUT_PORTS = ["output", "reject"]
    REJECT_IS_FILTER = True  # unmatched rows are the filter's purpose, not a loss
    GLOBALS = ["rows_kept", "rows_rejected", "values_nulled"]
    CONFIG_SCHEMA = {
        "required": {
            "condition": {
                "type": "str",
                "description": "Row condition, e.g. \"age > 18 and country == 'FR'\"; rows where "
                "it is true go to `output`, the others to `reject`.",
            }
        },
        "optional": {},
    }

    @classmethod
    def check_config(cls, config: dict[str, Any]) -> list[tuple[str, str]]:
        """Compile the condition at build time so a refused construct fails the build."""
        condition = config.get("condition")
        if condition is None:
            return []  # a missing required key is the build's own error
        if not isinstance(condition, str):
            return [
                ("condition", f"must be an expression in text, e.g. age > 18, not {condition!r}")
            ]
        try:
            compile_expression(condition)
        except ExpressionError as exc:
            return [("condition", str(exc))]
        return []

    async def run(self, inputs: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
        condition = str(self.config["condition"])
        expression = compile_expression(condition, run_id=ctx.run_id)
        artifact: DataArtifact = inputs["input"]
        if ctx.execution_mode == "dask":
            frame = await ctx.executor.run_in_thread(artifact.to_frame, "dask")
            mask = _mask(expression, frame)
            output, reject = frame[mask], frame[~mask].assign(error_message=_message(condition))
            kept, total = await ctx.executor.run_in_thread(_count, mask, condition)
        else:
            tally = NullTally()
            output, reject = await ctx.executor.run_in_thread(
                _split_pandas, artifact, expression, ctx.node_id, tally
            )
            kept = output.n_rows if hasattr(output, "n_rows") else len(output)
            total = kept + reject.n_rows
            if expression.counts_nulled:  # no value is lost in silence
                ctx.set_global("values_nulled", tally.count)
                if tally.count:
                    ctx.logger.warning(f"{tally.count} values could not be converted: null")
        ctx.set_global("rows_kept", kept)
        ctx.set_global("rows_rejected", total - kept)
        return {"output": output, "reject": reject}


def _split_pandas(
    artifact: DataArtifact, expression: Expression, node_id: str, tally: NullTally | None = None
) -> tuple[Any, RejectedRows]:
    table = _arrow_input(artifact, expression)
    if table is not None:
        return _split_arrow(table, expression, node_id, tally)
    frame = artifact.to_pandas()
    mask = _mask(expression, frame, tally)
    output = frame[mask]
    message = _message(expression.text)
    reject = RejectedRows(
        lambda: frame[~mask].assign(error_message=message), len(frame) - len(output), node_id
    )
    return output, reject


def _arrow_input(artifact: DataArtifact, expression: Expression) -> pa.Table | None:
    """The input as Arrow when it still is (csv_source's output) and names every column."""
    to_arrow = getattr(artifact, "to_arrow", None)
    if not callable(to_arrow) or getattr(artifact, "converted", True):
        return None
    table: pa.Table = to_arrow()
    return table if set(expression.columns) <= set(table.column_names) else None


def _split_arrow(
    table: pa.Table, expression: Expression, node_id: str, tally: NullTally | None = None
) -> tuple[Any, RejectedRows]:
    """Only the condition's columns become pandas; rows are selected in Arrow, so a CSV →
    filter → Parquet flow never converts its other (text) columns at all."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from pypeline.sdk.arrow_artifact import ArrowArtifact

    probe = table.select(sorted(expression.columns)).to_pandas()
    keep = pa.array(_mask(expression, probe, tally).to_numpy(dtype=bool))
    output = ArrowArtifact(table.filter(keep), f"{node_id}.output")
    message = _message(expression.text)

    def rejected() -> pd.DataFrame:
        frame: pd.DataFrame = table.filter(pc.invert(keep)).to_pandas()
        return frame.assign(error_message=message)

    return output, RejectedRows(rejected, table.num_rows - output.n_rows, node_id)


def _mask(expression: Expression, frame: Any, tally: NullTally | None = None) -> Any:
    """The condition as a bool mask, with the module's name in every error a user will read."""
    try:
        return expression.mask(frame, tally)
    except UnknownColumnError as exc:
        hint = f"; {exc.hint}" if exc.hint else ""
        raise ExpressionError(
            f"filter_mod: unknown column {exc.column!r} in condition (columns: {exc.listing}){hint}"
        ) from None
    except ExpressionError as exc:
        raise ExpressionError(f"filter_mod: {exc}") from None


def _count(mask: dd.Series, condition: str) -> tuple[int, int]:
    """Kept and total rows in Dask mode: one pass over the input (Dask reports type errors
    only now)."""
    from dask.base import compute as dask_compute

    compute: Any = dask_compute  # untyped in Dask
    try:
        kept, total = compute(mask.sum(), mask.size)
        return int(kept), int(total)
    except (TypeError, ValueError) as exc:
        raise ExpressionError(f"filter_mod: cannot evaluate {condition!r}: {exc}") from exc


def _message(condition: str) -> str:
    return f"condition not met: {condition}"
