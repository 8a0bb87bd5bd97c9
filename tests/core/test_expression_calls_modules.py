"""Function calls as users meet them in ``filter_mod`` and ``compute_mod``: ``pype validate``
names the option's file:line:col, conversions publish ``values_nulled``, ``now()`` is one
instant in a whole run."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pypeline import hookimpl
from pypeline.modules.mods.compute_mod import ComputeMod
from pypeline.modules.mods.filter_mod import FilterMod
from pypeline.sdk.functions import ExpressionFunction, FunctionContext
from pypeline.testing import FlowRun, run_module

BAD_FLOW = """\
flow: {name: bad_calls}
modules:
  - id: clean
    name: compute_mod
    configs:
      required:
        expressions:
          low: lowr(name)
  - id: keep
    name: filter_mod
    configs:
      required: {condition: "replace(name, 'a') == 'b'"}
"""


def test_pype_validate_names_the_option_and_hints_the_function(pype: Any, tmp_path: Path) -> None:
    (tmp_path / "flow.yaml").write_text(BAD_FLOW, encoding="utf-8")
    result = pype("validate", "flow.yaml")
    assert result.code == 2, result.output
    lines = [line for line in result.err.splitlines() if line.startswith("flow.yaml:")]
    assert lines == [
        "flow.yaml:7:9: module 'clean' (compute_mod): expressions: low: unknown function "
        "'lowr': did you mean 'lower'? (pype show-functions lists them)",
        "flow.yaml:12:18: module 'keep' (filter_mod): condition: replace() takes 3 arguments, "
        "got 2: replace(s, old, new)",
    ]


def _to_num(fctx: FunctionContext, s: Any) -> Any:
    values = fctx.series(s)
    numbers = pd.to_numeric(values, errors="coerce")
    fctx.count_nulled(int((numbers.isna() & values.notna()).sum()))
    return numbers


class Conversions:
    """A pack giving one conversion that counts what it cannot read."""

    @hookimpl
    def pypeline_expression_functions(self) -> dict[str, ExpressionFunction]:
        function = ExpressionFunction("num", ("s",), _to_num, "A number.", counts_nulled=True)
        return {"num": function}


@pytest.fixture
def prices(pypeline_plugin: Callable[..., Any]) -> pd.DataFrame:
    pypeline_plugin(Conversions(), name="conversions")
    return pd.DataFrame({"price": ["1", "x", None, "2.5", "-"]})


def test_compute_mod_counts_the_values_a_conversion_nulled(prices: pd.DataFrame) -> None:
    result = run_module(ComputeMod, {"expressions": {"n": "num(price) * 2"}}, {"input": prices})
    assert result.frame("output")["n"].tolist()[::3] == [2.0, 5.0]
    assert result.globals["values_nulled"] == 2
    assert result.warnings == ["2 values could not be converted: set to null"]


def test_filter_mod_counts_the_values_its_condition_nulled(prices: pd.DataFrame) -> None:
    result = run_module(FilterMod, {"condition": "num(price) > 1"}, {"input": prices})
    assert result.frame("output")["price"].tolist() == ["2.5"]
    assert result.globals["values_nulled"] == 2
    assert len(result.warnings) == 1


def test_no_count_without_a_conversion_nor_in_dask_mode(prices: pd.DataFrame) -> None:
    plain = run_module(ComputeMod, {"expressions": {"p": "price"}}, {"input": prices})
    assert "values_nulled" not in plain.globals
    lazy = run_module(
        ComputeMod, {"expressions": {"n": "num(price)"}}, {"input": prices}, mode="dask"
    )
    assert lazy.frame("output")["n"].isna().sum() == 3  # converted; the count is not known
    assert "values_nulled" not in lazy.globals


CLOCK_FLOW = """\
flow: {{name: one_clock}}
settings: {{execution_mode: {mode}}}
modules:
  - id: rows
    name: fixed_rows
    configs: {{required: {{rows: [{{n: 1}}, {{n: 2}}, {{n: 3}}, {{n: 4}}]}}}}
  - id: first
    name: compute_mod
    configs: {{required: {{expressions: {{a: now(), d: today()}}}}}}
  - id: second
    name: compute_mod
    configs: {{required: {{expressions: {{b: now()}}}}}}
  - id: same
    name: filter_mod
    configs: {{required: {{condition: "a == b and a == now() and year(d) == year(a)"}}}}
connections:
  data:
    - rows.data - first.input
    - first.output - second.input
    - second.output - same.input
"""


@pytest.mark.parametrize("mode", ["pandas", "dask"])
def test_now_is_one_instant_in_every_module_of_a_run(
    pypeline_flow: Callable[..., FlowRun], mode: str
) -> None:
    run = pypeline_flow(CLOCK_FLOW.format(mode=mode))
    assert run.status == "success", run.events
    assert run.node("same")["rows_rejected"] == 0  # all four rows saw one clock


def test_two_runs_of_a_module_in_one_run_see_one_clock() -> None:
    frame = pd.DataFrame({"n": [1]})
    config = {"expressions": {"t": "now()"}}
    first = run_module(ComputeMod, config, {"input": frame}, run_id="one-run")
    again = run_module(ComputeMod, config, {"input": frame}, run_id="one-run")
    assert first.frame("output")["t"].equals(again.frame("output")["t"])
