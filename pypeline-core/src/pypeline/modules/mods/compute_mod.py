"""``compute_mod``: new or replaced columns from expressions (Talend's tMap expressions).

The expressions are ``filter_mod``'s safe language, compiled by ``check_config`` at build time so
an injection attempt (a call, an attribute, a dunder) fails the build, and compiled again at run
time for values a template produced. Each is evaluated on whole columns, in the order the flow
lists them, on the frame that already holds the columns computed before it: a later expression
may use an earlier one. Dask frames get the same operators, so nothing is computed here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pypeline.expressions.expressions import (
    SYNTAX_HELP,
    Expression,
    ExpressionError,
    UnknownColumnError,
    compile_expression,
)
from pypeline.modules.mods.frame_errors import FrameError, label, unknown_columns
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

Comparisons give true/false; arithmetic with a null gives null; every comparison with a null
is false. Expressions are checked when the flow is built: calls, attribute access and names
starting with '__' are refused.

{SYNTAX_HELP}

Ports: `input` -> `output` (the input's columns, then the new ones in the order given)."""
    INPUT_PORTS = ["input"]
    OUTPUT_PORTS = ["output"]
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
        compiled = _compile(self.config["expressions"], where)
        mode = ctx.execution_mode
        frame = await ctx.executor.run_in_thread(inputs["input"].to_frame, mode)
        output = await ctx.executor.run_in_thread(compute, frame, compiled, where)
        return {"output": output}


def _compile(expressions: Any, where: str) -> dict[str, Expression]:
    """Each expression compiled, labelled with its column (``check_config`` compiled them all)."""
    return {
        column: compile_expression(text, f"{where}: expressions: {column}")
        for column, text in expressions.items()
    }


def compute(frame: Any, expressions: dict[str, Expression], where: str) -> Any:
    """Each expression in turn on the frame that holds the previous results."""
    for column, expression in expressions.items():
        try:
            value = expression.evaluate(frame)
        except UnknownColumnError as exc:
            raise unknown_columns(
                [exc.column], exc.available, where, f"expressions: {column}"
            ) from None
        except ExpressionError as exc:
            raise FrameError(f"{where}: expressions: {column}: {exc}") from None
        frame = frame.assign(**{column: value})
    return frame
