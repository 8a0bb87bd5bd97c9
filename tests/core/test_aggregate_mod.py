"""aggregate_mod: one row per group with pandas' own aggregations, nulls grouped as in SQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from pypeline.modules.mods.aggregate_mod import AggregateMod
from pypeline.modules.mods.frame_errors import FrameError
from pypeline.testing import rows, run_module

from .transform_flows import error_of, problem_lines, run_transform, validate_configs

MODES = ["pandas", "dask"]
AGGREGATIONS = {
    "n": "count(*)",
    "paid": "count(amount)",
    "customers": "count_distinct(customer)",
    "total": "sum(amount)",
    "average": "mean(amount)",
    "smallest": "min(amount)",
    "largest": "max(amount)",
    "first_day": "first(day)",
    "last_day": "last(day)",
}
PANDAS = {
    "n": ("amount", "size"),
    "paid": ("amount", "count"),
    "customers": ("customer", "nunique"),
    "total": ("amount", "sum"),
    "average": ("amount", "mean"),
    "smallest": ("amount", "min"),
    "largest": ("amount", "max"),
    "first_day": ("day", "first"),
    "last_day": ("day", "last"),
}


@pytest.fixture
def sales() -> pd.DataFrame:
    rng = np.random.default_rng(11)
    frame = pd.DataFrame(
        {
            "country": rng.choice(["FR", "DE", "US", None], 80),
            "shop": rng.integers(1, 3, 80),
            "customer": rng.choice(["a", "b", "c", "d", None], 80),
            "amount": rng.integers(1, 100, 80).astype(float),
            "day": [f"2024-01-{d:02d}" for d in rng.integers(1, 29, 80)],
        }
    )
    frame.loc[::7, "amount"] = np.nan
    return frame


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("group_by", [["country"], ["country", "shop"]])
def test_every_function_matches_pandas(sales: pd.DataFrame, group_by: list[str], mode: str) -> None:
    config = {"group_by": group_by, "aggregations": AGGREGATIONS}
    run = run_module(AggregateMod, config, {"input": sales}, mode=mode, partitions=3)

    expected = sales.groupby(group_by, dropna=False).agg(**PANDAS).reset_index()
    out = run.frame("output")
    assert list(out.columns) == [*group_by, *AGGREGATIONS]
    assert rows(out) == rows(expected)  # sorted by the keys
    assert out["country"].isna().iloc[-1]  # null keys form a group, sorted last


@pytest.mark.parametrize("mode", MODES)
def test_no_group_by_gives_one_row_of_grand_totals(sales: pd.DataFrame, mode: str) -> None:
    config = {"group_by": [], "aggregations": AGGREGATIONS}
    run = run_module(AggregateMod, config, {"input": sales}, mode=mode)

    expected = sales.assign(all=0).groupby("all").agg(**PANDAS).reset_index(drop=True)
    assert rows(run.frame("output")) == rows(expected)


@pytest.mark.parametrize("mode", MODES)
def test_empty_input_still_gives_a_row_of_totals(sales: pd.DataFrame, mode: str) -> None:
    config = {"group_by": [], "aggregations": {"n": "count(*)", "total": "sum(amount)"}}
    run = run_module(AggregateMod, config, {"input": sales.iloc[:0]}, mode=mode)
    assert rows(run.frame("output")) == [(0, None)]


@pytest.mark.parametrize("mode", MODES)
def test_count_distinct_alone_counts_the_null_group(mode: str) -> None:
    frame = pd.DataFrame({"k": ["a", None, "a", None, "b"], "v": [1, 2, 1, 3, None]})
    config = {"group_by": ["k"], "aggregations": {"distinct_v": "count_distinct(`v`)"}}
    run = run_module(AggregateMod, config, {"input": frame}, mode=mode)
    assert rows(run.frame("output")) == [("a", 1), ("b", 0), (None, 2)]


@pytest.mark.parametrize("mode", MODES)
def test_unknown_column_names_the_aggregation(sales: pd.DataFrame, mode: str) -> None:
    config = {"group_by": ["country"], "aggregations": {"total": "sum(amout)"}}
    with pytest.raises(FrameError) as failed:
        run_module(AggregateMod, config, {"input": sales}, mode=mode, module_id="f")
    assert str(failed.value) == (
        "f (aggregate_mod): aggregations: total: unknown column 'amout' "
        "(columns: country, shop, customer, amount, day); did you mean 'amount'?"
    )


@pytest.mark.parametrize("mode", MODES)
def test_mean_of_text_is_a_clear_error(sales: pd.DataFrame, mode: str) -> None:
    config = {"group_by": ["country"], "aggregations": {"m": "mean(day)"}}
    with pytest.raises(FrameError, match=r"aggregations: m: mean\(day\) needs numbers"):
        run_module(AggregateMod, config, {"input": sales}, mode=mode)


def test_a_run_error_names_the_node(pypeline_flow: Any) -> None:
    configs = {"required": {"group_by": ["city"], "aggregations": {"n": "count(*)"}}}
    run = run_transform(pypeline_flow, "aggregate_mod", configs, {"input": [{"town": "Oslo"}]})
    assert run.exit_code == 1
    assert error_of(run) == "t (aggregate_mod): group_by: unknown column 'city' (columns: town)"


def test_the_spec_example_runs_in_a_flow(pypeline_flow: Any) -> None:
    rows_in = [{"c": "FR", "amount": 5}, {"c": "FR", "amount": 7}, {"c": "DE", "amount": 1}]
    configs = {
        "required": {"group_by": ["c"], "aggregations": {"n": "count(*)", "total": "sum(amount)"}}
    }
    run = run_transform(pypeline_flow, "aggregate_mod", configs, {"input": rows_in}, mode="dask")
    assert run.exit_code == 0
    assert run.node("t")["status"] == "success"


def test_bad_configs_fail_validation_naming_the_key(pype: Any, tmp_path: Path) -> None:
    def aggregate(aggregations: Any, group_by: Any = ("k",)) -> dict[str, Any]:
        return {"required": {"group_by": list(group_by), "aggregations": aggregations}}

    result = validate_configs(
        pype,
        tmp_path,
        "aggregate_mod",
        {
            "func": aggregate({"t": "summ(amount)"}),
            "star": aggregate({"t": "sum(*)"}),
            "shape": aggregate({"t": "sum amount"}),
            "clash": aggregate({"k": "count(*)"}),
            "keys": aggregate({"n": "count(*)"}, group_by=["k", "k"]),
        },
    )
    assert result.code == 2
    assert problem_lines(result) == [
        "module 'func' (aggregate_mod): aggregations: t: unknown function 'summ' "
        "(functions: count, sum, mean, min, max, first, last, count_distinct)",
        "module 'star' (aggregate_mod): aggregations: t: only count takes *, not sum",
        "module 'shape' (aggregate_mod): aggregations: t: 'sum amount' is not func(column), "
        "e.g. sum(amount) or count(*)",
        "module 'clash' (aggregate_mod): aggregations: k: is already a group_by column",
        "module 'keys' (aggregate_mod): group_by: names a column more than once: k",
    ]
