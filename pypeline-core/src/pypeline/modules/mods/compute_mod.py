"""``compute_mod``: new or replaced columns from expressions (Talend's tMap expressions).

The expressions are ``filter_mod``'s safe language, compiled by ``check_config`` at build time so
an injection attempt (an unknown function, an attribute, a dunder) fails the build, and compiled
again at run time for values a template produced. Each is evaluated on whole columns, in the
order the flow lists them, on the frame that already holds the columns computed before it: a
later expression may use an earlier one. Dask frames get the same operators, so nothing is
computed here; for the same reason ``values_nulled`` (what conversions such as ``to_number``
turned into nulls) is counted in pandas mode only: a Dask partition converts when a sink
computes it.
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
from pypeline.modules.mods.frame_errors import FrameError, label
from pypeline.sdk import checks
from pypeline.sdk.base import BaseModule

if TYPE_CHECKING:
    from pypeline.sdk.context import RunContext


class ComputeMod(BaseModule):
    """Add columns computed from the other columns of the same row."""

    NAME = "compute_mod"
    TYPE = "mod"
    CATEGORY = "Transforms"
    DESCRIPTION = f"""\
Adds or replaces columns computed from expressions (Talend's tMap expressions).

`expressions` maps each new column to an expression over the row's columns. They are
evaluated in the order given, so an expression may use a column computed before it; naming
an existing column replaces its values.

Example:
  expressions:
    total: price * quantity
    total_vat: total * 1.2
    is_big: total_vat >= 1000 and country in ['FR', 'DE']
    price: to_number(price_text)
    name: lower(strip(name))

Comparisons give true/false; arithmetic with a null gives null; every comparison with a null
is false. Expressions are checked when the flow is built: unknown functions (with a hint),
wrong numbers of arguments, attribute access and names starting with '__' are refused.
A value a conversion (to_number, to_int, ...) cannot read becomes null; the count is the
global `values_nulled`, with a warning (pandas mode: in dask mode partitions are converted
when the data is computed, usually at the sink, and are not counted).

{SYNTAX_HELP}

Ports: `input` -> `output` (the input's columns, then the new ones in the order given)."""
    INPUT_PORTS = ["input"]
    OUTPUT_PORTS = ["output"]
    GLOBALS = ["values_nulled"]
    CONFIG_SCHEMA = {
        "required": {
            "expressions": {
                "type": "dict",
                "description": "New column -> expression, evaluated in this order, e.g. "
                "{total: price * quantity, big: total > 100}.",
            }
        },
        "optional": {},
    }

    @classmethod
    def check_config(cls, config: dict[str, Any]) -> list[tuple[str, str]]:
        """Compile every expression now, so a refused construct fails the build."""
        expressions = config.get("expressions")
        if expressions is None:
            return []
        problems = checks.text_mapping(config, "expressions", "an expression")
        if problems:
            return problems
        for column, text in expressions.items():
            try:
                compile_expression(text)
            except ExpressionError as exc:
                problems.append(("expressions", f"{column}: {exc}"))
        return problems

    async def run(self, inputs: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
        where = label(ctx.node_id, self.NAME)
        compiled = _compile(self.config["expressions"], where, ctx.run_id)
        mode = ctx.execution_mode
        frame = await ctx.executor.run_in_thread(inputs["input"].to_frame, mode)
        tally = NullTally()
        output = await ctx.executor.run_in_thread(compute, frame, compiled, where, tally)
        if mode != "dask" and any(e.counts_nulled for e in compiled.values()):
            ctx.set_global("values_nulled", tally.count)  # no value is lost in silence
            if tally.count:
                ctx.logger.warning(f"{tally.count} values could not be converted: set to null")
        return {"output": output}


def _compile(expressions: Any, where: str, run_id: str) -> dict[str, Expression]:
    """Each expression compiled, labelled with its column (``check_config`` compiled them all)."""
    return {
        column: compile_expression(text, f"{where}: expressions: {column}", run_id=run_id)
        for column, text in expressions.items()
    }


def compute(
    frame: Any, expressions: dict[str, Expression], where: str, tally: NullTally | None = None
) -> Any:
    """Each expression in turn on the frame that holds the previous results."""
    for column, expression in expressions.items():
        try:
            value = expression.evaluate(frame, tally)
        except UnknownColumnError as exc:
            hint = f"; {exc.hint}" if exc.hint else ""
            raise FrameError(
                f"{where}: expressions: {column}: unknown column {exc.column!r} "
                f"(columns: {exc.listing}){hint}"
            ) from None
        except ExpressionError as exc:
            raise FrameError(f"{where}: expressions: {column}: {exc}") from None
        frame = frame.assign(**{column: value})
    return frame
