"""``cast_mod``: convert columns to int, float, str, bool, datetime or date (Talend's tConvertType).

What happens to a value that does not convert is the user's choice, as in Talend: fail the run
(``raise``, the default: no row is lost without being asked), make it null (``null``), or send
the whole row, as it came in, to ``reject`` with the reason (``reject``). The conversion itself
is ``cast_values``; this file applies it to a frame. Dask runs the same function once per
partition, so nothing is computed here; with ``raise`` in dask mode the error therefore surfaces
when the data is computed (usually at a sink), still naming this node.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pypeline.modules.mods.cast_values import TYPES, convert
from pypeline.modules.mods.frame_errors import FrameError, label, require_columns
from pypeline.modules.mods.rejects import no_rows, with_reasons
from pypeline.sdk import checks
from pypeline.sdk.base import BaseModule
from pypeline.sdk.values import BOOL_SPELLINGS, DECIMALS

if TYPE_CHECKING:
    import pandas as pd

    from pypeline.sdk.context import RunContext

ERRORS = ("raise", "null", "reject")


class CastMod(BaseModule):
    """Give columns the types the rest of the flow expects."""

    NAME = "cast_mod"
    TYPE = "mod"
    CATEGORY = "Transforms"
    DESCRIPTION = f"""\
Converts columns to int, float, str, bool, datetime or date (Talend's tConvertType).

`types` maps each column to one of:

  int       whole numbers, nullable (pandas Int64); '12' and 12.0 convert, 1.5 and 'x' do not
  float     numbers (float64)
  str       text (pandas string); always converts
  bool      true/false (pandas boolean) from numbers 1 and 0 and from text spelled exactly
            {BOOL_SPELLINGS}
  datetime  date and time, read as ISO 8601 (2024-01-31, 2024-01-31T10:00:00) unless
            `formats` gives the column a strftime format such as %d/%m/%Y
  date      like datetime, then cut to midnight (pandas has no date-only type)

Numbers are read leniently from text, as spreadsheets and web pages write them (the rules of
the expression function to_number): spaces anywhere (non-breaking too) and currency symbols
($ € £ ¥ ...) are dropped, a leading + or -, thousands separators between groups of three
digits, a % first or last divides by 100, a whole value in parentheses is negative, exponents
and inf are read: '$1,715.0' is 1715.0, '38%' is 0.38, '(1,234.50)' is -1234.5. `decimal`
is the decimal separator: '.' (default; thousands ','), or ',' for '1.234,5' (thousands '.'
or a space); '1,5' with the default is refused, never read as 15. Empty text does not convert.

Nulls stay null. `errors` decides what happens to a value that does not convert:
  raise   (default) the run fails, naming the column, the value and its row index
  null    the value becomes null and the row goes on; the count is the global
          `values_nulled` (shown in the summary and the log; pandas mode)
  reject  the row goes, unchanged, to `reject` with `error_message`, e.g.
          "age: cannot convert 'ten' to int" (several columns: joined with '; ')

Example: {{types: {{id: int, amount: float, signed_on: date}}, formats: {{signed_on: '%d/%m/%Y'}},
errors: reject}}

In dask mode each partition is converted on its own; with errors: raise the error shows up
when the data is computed, usually at the sink, and still names this node.

Ports: `input` -> `output`, `reject` (empty unless errors is reject)."""
    INPUT_PORTS = ["input"]
    OUTPUT_PORTS = ["output", "reject"]
    GLOBALS = ["values_nulled"]
    CONFIG_SCHEMA = {
        "required": {
            "types": {
                "type": "dict",
                "description": "Column -> type: int, float, str, bool, datetime or date.",
            }
        },
        "optional": {
            "errors": {
                "type": "str",
                "default": "raise",
                "description": "What an unconvertible value does: raise (fail the run), null "
                "(becomes null) or reject (the row goes to `reject` with `error_message`).",
            },
            "formats": {
                "type": "dict",
                "default": {},
                "description": "Column -> strftime format for datetime and date columns, "
                "e.g. {signed_on: '%d/%m/%Y'}; default ISO 8601.",
            },
            "decimal": {
                "type": "str",
                "default": ".",
                "description": "Decimal separator of numbers in text: '.' (thousands ',') or "
                "',' (thousands '.' or space, e.g. '1.234,5').",
            },
        },
    }

    @classmethod
    def check_config(cls, config: dict[str, Any]) -> list[tuple[str, str]]:
        """Known types, a known error policy, and formats only for datetime and date columns."""
        problems = checks.choice(config, "errors", ERRORS, nullable=False)
        problems += checks.choice(config, "decimal", DECIMALS, nullable=False)
        types = config.get("types")
        if types is None:
            return problems
        mapping = checks.text_mapping(config, "types", "a type")
        problems += mapping or [
            ("types", f"{column}: unknown type {to!r} (types: {', '.join(TYPES)})")
            for column, to in types.items()
            if to not in TYPES
        ]
        formats = config.get("formats") or {}
        problems += (
            checks.text_mapping({"formats": formats}, "formats", "a format") if formats else []
        )
        if isinstance(formats, dict) and not mapping:
            problems += [
                ("formats", f"{column}: only datetime and date columns take a format")
                for column in formats
                if types.get(column) not in ("datetime", "date")
            ]
        return problems

    async def run(self, inputs: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
        where = label(ctx.node_id, self.NAME)
        frame = await ctx.executor.run_in_thread(inputs["input"].to_frame, ctx.execution_mode)
        formats, decimal = self.config.get("formats") or {}, self.config.get("decimal") or "."
        plan = Cast(self.config["types"], formats, where, str(decimal))
        errors = str(self.config.get("errors") or "raise")
        require_columns(frame.columns, plan.types, where, "types")
        out = await ctx.executor.run_in_thread(plan.apply, frame, errors)
        if errors == "null" and not hasattr(frame, "map_partitions"):
            # no value is lost in silence: the count shows in the summary, log and table
            ctx.set_global("values_nulled", plan.nulled)
            if plan.nulled:
                ctx.logger.warning(f"{plan.nulled} values could not be converted: set to null")
        return out


class Cast:
    """One configured conversion, applied to a pandas frame or, partition-wise, a Dask one."""

    def __init__(
        self, types: dict[str, str], formats: dict[str, str], where: str, decimal: str = "."
    ) -> None:
        self.types, self.formats, self.where = dict(types), dict(formats), where
        self.decimal = decimal
        #: Values that ``errors: null`` turned into nulls (pandas mode; Dask partitions
        #: convert later, inside the sinks' compute, so they are not counted).
        self.nulled = 0

    def apply(self, frame: Any, errors: str) -> dict[str, Any]:
        """``output`` and ``reject``; ``mark`` is the column of reasons while they are split."""
        mark = "__cast_error__"
        while mark in frame.columns:
            mark += "_"
        if hasattr(frame, "map_partitions"):
            meta = self.partition(frame._meta, errors, mark)
            marked = frame.map_partitions(self.partition, errors, mark, meta=meta)
        else:
            marked = self.partition(frame, errors, mark)
        if errors != "reject":
            return {"output": marked, "reject": no_rows(frame)}
        failed = marked[mark].notnull()  # Dask has no notna()
        return {
            "output": marked[~failed].drop(columns=[mark]),
            "reject": with_reasons(frame, marked[mark])[failed],
        }

    def partition(self, part: pd.DataFrame, errors: str, mark: str) -> pd.DataFrame:
        """The converted partition; with ``reject``, plus the column of reasons (null = fine)."""
        import pandas as pd

        converted: dict[str, pd.Series] = {}
        reasons = pd.Series(pd.NA, index=part.index, dtype="string")
        for column, to in self.types.items():
            values, failed = convert(part[column], to, self.formats.get(column), self.decimal)
            converted[column] = values
            if not failed.any():
                continue
            original = part[column][failed]
            if errors == "null":
                self.nulled += int(failed.sum())
            if errors == "raise":
                raise FrameError(
                    f"{self.where}: types: {column}: cannot convert {original.iloc[0]!r} "
                    f"(row index {original.index[0]}) to {to}; "
                    "errors: null or errors: reject carries on instead"
                )
            text = f"{column}: cannot convert '" + original.astype("string") + f"' to {to}"
            before = reasons[failed]
            reasons[failed] = (before + "; " + text).fillna(text)
        out = part.assign(**converted)
        return out.assign(**{mark: reasons}) if errors == "reject" else out
