"""join_mod: the rows pandas' merge gives, and the unmatched left rows on reject."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pypeline.modules.mods.frame_errors import FrameError
from pypeline.modules.mods.join_mod import JoinMod
from pypeline.testing import rows, run_module

from .transform_flows import problem_lines, validate_configs

MODES = ["pandas", "dask"]


@pytest.fixture
def orders() -> pd.DataFrame:
    return pd.DataFrame(
        {"order": [10, 11, 12, 13, 14], "customer": [1, 2, 1, 7, 3], "amount": [5, 6, 7, 8, 9]}
    )


@pytest.fixture
def customers() -> pd.DataFrame:
    return pd.DataFrame(
        {"customer": [1, 2, 3, 4], "name": ["Ada", "Bob", "Cy", "Di"], "amount": [0, 0, 0, 1]}
    )


def _sorted(frame: pd.DataFrame) -> list[tuple[Any, ...]]:
    return sorted(rows(frame), key=repr)  # dask returns the same rows in partition order


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("how", ["inner", "left", "right", "outer"])
def test_output_is_pandas_merge(
    orders: pd.DataFrame, customers: pd.DataFrame, how: str, mode: str
) -> None:
    run = run_module(
        JoinMod, {"on": "customer", "how": how}, {"left": orders, "right": customers}, mode=mode
    )
    expected = orders.merge(customers, on="customer", how=how, suffixes=("_left", "_right"))
    out = run.frame("output")
    assert list(out.columns) == ["order", "customer", "amount_left", "name", "amount_right"]
    assert _sorted(out) == _sorted(expected)


@pytest.mark.parametrize("mode", MODES)
def test_inner_join_rejects_unmatched_left_rows(
    orders: pd.DataFrame, customers: pd.DataFrame, mode: str
) -> None:
    run = run_module(JoinMod, {"on": ["customer"]}, {"left": orders, "right": customers}, mode=mode)

    reject = run.frame("reject")
    assert list(reject.columns) == ["order", "customer", "amount", "error_message"]
    assert rows(reject) == [(13, 7, 8, "no match in right for customer=7")]
    # every left row is in output or reject, none lost
    assert len(set(run.frame("output")["order"])) + len(reject) == len(orders)


@pytest.mark.parametrize("mode", MODES)
def test_left_join_keeps_unmatched_rows_so_reject_is_empty(
    orders: pd.DataFrame, customers: pd.DataFrame, mode: str
) -> None:
    run = run_module(
        JoinMod, {"on": "customer", "how": "left"}, {"left": orders, "right": customers}, mode=mode
    )
    assert run.frame("reject").empty
    assert list(run.frame("reject").columns) == ["order", "customer", "amount", "error_message"]


@pytest.mark.parametrize("mode", MODES)
def test_left_on_right_on_with_several_keys_and_suffixes(mode: str) -> None:
    left = pd.DataFrame(
        {"cust": [1, 1, 2, None], "cc": ["FR", "DE", "FR", "FR"], "v": [1, 2, 3, 4]}
    )
    right = pd.DataFrame({"id": [1, 2, None], "country": ["FR", "FR", "FR"], "v": [7, 8, 9]})
    config = {"left_on": ["cust", "cc"], "right_on": ["id", "country"], "suffixes": ["", "_r"]}
    run = run_module(JoinMod, config, {"left": left, "right": right}, mode=mode)

    expected = left.merge(
        right, left_on=["cust", "cc"], right_on=["id", "country"], suffixes=("", "_r")
    )
    assert _sorted(run.frame("output")) == _sorted(expected)  # null keys match, as in pandas
    assert rows(run.frame("reject")) == [(1.0, "DE", 2, "no match in right for cust=1.0, cc=DE")]


@pytest.mark.parametrize("mode", MODES)
def test_missing_key_names_the_side_and_its_columns(
    orders: pd.DataFrame, customers: pd.DataFrame, mode: str
) -> None:
    config = {"left_on": "customer", "right_on": "client"}
    with pytest.raises(FrameError) as failed:
        run_module(JoinMod, config, {"left": orders, "right": customers}, mode=mode, module_id="f")
    assert str(failed.value) == (
        "f (join_mod): right input: right_on: unknown column 'client' "
        "(columns: customer, name, amount)"
    )


@pytest.mark.filterwarnings("ignore:Merging dataframes with merge column data type mismatches")
@pytest.mark.parametrize("mode", MODES)
def test_keys_of_different_kinds_are_a_clear_error(orders: pd.DataFrame, mode: str) -> None:
    right = pd.DataFrame({"customer": ["1", "2"], "name": ["Ada", "Bob"]})
    with pytest.raises(FrameError, match=r"f \(join_mod\): cannot join on customer: left customer"):
        run_module(
            JoinMod, {"on": "customer"}, {"left": orders, "right": right}, mode=mode, module_id="f"
        )


def test_a_flow_joins_two_sources_and_logs_the_rejects(pypeline_flow: Any) -> None:
    run = pypeline_flow(
        """
flow: {name: join_flow}
modules:
  - {id: orders, name: fixed_rows, configs: {required: {rows: [{c: 1, n: 5}, {c: 9, n: 6}]}}}
  - {id: people, name: fixed_rows, configs: {required: {rows: [{c: 1, who: Ada}]}}}
  - {id: j, name: join_mod, configs: {optional: {"on": c}}}
  - {id: matched, name: log_row}
  - {id: unmatched, name: log_row}
connections:
  data: ["orders.data - j.left", "people.data - j.right", "j.output - matched.input",
         "j.reject - unmatched.input"]
"""
    )
    assert run.exit_code == 0
    assert run.node("j")["rows_out"] == 1
    assert run.node("unmatched")["rows_in"] == 1


def test_bad_configs_fail_validation_naming_the_key(pype: Any, tmp_path: Path) -> None:
    result = validate_configs(
        pype,
        tmp_path,
        "join_mod",
        {
            "no_keys": {"optional": {"how": "inner"}},
            "both": {"optional": {"on": "a", "left_on": "a", "right_on": "b"}},
            "uneven": {"optional": {"left_on": ["a", "b"], "right_on": ["a"]}},
            "how": {"optional": {"on": "a", "how": "full"}},
            "suffixes": {"optional": {"on": "a", "suffixes": ["_x", "_x"]}},
            "on_type": {"optional": {"on": 3}},
        },
    )
    assert result.code == 2
    assert problem_lines(result) == [
        "module 'no_keys' (join_mod): on: give on, or both left_on and right_on",
        "module 'both' (join_mod): on: give either on, or left_on and right_on, not both",
        "module 'uneven' (join_mod): right_on: must name as many columns as left_on",
        "module 'how' (join_mod): how: must be one of inner, left, right, outer, not 'full'",
        "module 'suffixes' (join_mod): suffixes: must be two different texts, not ['_x', '_x']",
        "module 'on_type' (join_mod): on: must be a list of column names, e.g. [id, name], not 3",
    ]
