"""select_mod: the columns pandas' own selection gives, errors that name the option and node."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pypeline.modules.mods.frame_errors import FrameError
from pypeline.modules.mods.select_mod import SelectMod
from pypeline.run.execution.config_check import ConfigError
from pypeline.testing import rows, run_module

from .transform_flows import error_of, problem_lines, run_transform, validate_configs

MODES = ["pandas", "dask"]


@pytest.fixture
def orders() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": [1, 2, 3],
            "name": ["Ada", "Bob", None],
            "amount": [9.5, 20.0, 3.25],
            "note": ["x", "y", "z"],
        }
    )


@pytest.mark.parametrize("mode", MODES)
def test_keep_rename_and_order_match_pandas(orders: pd.DataFrame, mode: str) -> None:
    config = {"keep": ["amount", "id", "name"], "rename": {"amount": "total"}, "order": ["name"]}
    run = run_module(SelectMod, config, {"input": orders}, mode=mode)

    expected = orders[["amount", "id", "name"]].rename(columns={"amount": "total"})
    expected = expected[["name", "total", "id"]]
    out = run.frame("output")
    assert list(out.columns) == ["name", "total", "id"]
    assert rows(out) == rows(expected)


@pytest.mark.parametrize("mode", MODES)
def test_drop_then_rename_matches_pandas(orders: pd.DataFrame, mode: str) -> None:
    config = {"drop": ["note"], "rename": {"id": "order_id"}}
    run = run_module(SelectMod, config, {"input": orders}, mode=mode)

    expected = orders.drop(columns=["note"]).rename(columns={"id": "order_id"})
    assert list(run.frame("output").columns) == ["order_id", "name", "amount"]
    assert rows(run.frame("output")) == rows(expected)


@pytest.mark.parametrize("mode", MODES)
def test_each_option_alone(orders: pd.DataFrame, mode: str) -> None:
    def columns(config: dict[str, Any]) -> list[str]:
        return list(run_module(SelectMod, config, {"input": orders}, mode=mode).frame("output"))

    assert columns({"keep": ["note", "id"]}) == ["note", "id"]
    assert columns({"drop": ["id", "note"]}) == ["name", "amount"]
    assert columns({"rename": {"id": "order_id"}}) == ["order_id", "name", "amount", "note"]
    assert columns({"order": ["note", "amount"]}) == ["note", "amount", "id", "name"]


def test_swapping_two_names_is_allowed(orders: pd.DataFrame) -> None:
    run = run_module(SelectMod, {"rename": {"name": "note", "note": "name"}}, {"input": orders})
    assert list(run.frame("output")) == ["id", "note", "amount", "name"]
    assert run.frame("output")["note"].tolist()[:2] == ["Ada", "Bob"]


@pytest.mark.parametrize("mode", MODES)
def test_unknown_column_lists_the_columns_there_are(orders: pd.DataFrame, mode: str) -> None:
    with pytest.raises(FrameError) as failed:
        run_module(SelectMod, {"keep": ["id", "nmae"]}, {"input": orders}, mode=mode, module_id="f")
    assert str(failed.value) == (
        "f (select_mod): keep: unknown column 'nmae' (columns: id, name, amount, note); "
        "did you mean 'name'?"
    )


def test_rename_onto_a_remaining_column_is_refused(orders: pd.DataFrame) -> None:
    with pytest.raises(FrameError, match="rename: two columns would be named 'note'"):
        run_module(SelectMod, {"rename": {"name": "note"}}, {"input": orders})


def test_a_run_error_names_the_node(pypeline_flow: Any) -> None:
    run = run_transform(
        pypeline_flow, "select_mod", {"optional": {"drop": ["age"]}}, {"input": [{"id": 1}]}
    )
    assert run.exit_code == 1
    assert error_of(run) == "t (select_mod): drop: unknown column 'age' (columns: id)"


def test_no_option_at_all_is_refused(orders: pd.DataFrame) -> None:
    # an option whose value is a template is absent at build time; the engine checks it rendered
    assert SelectMod.check_config({"keep": None, "drop": None, "rename": None, "order": None})
    with pytest.raises(ConfigError, match=r"\(select_mod\): keep: give at least one of keep, drop"):
        run_module(SelectMod, {}, {"input": orders})


def test_bad_configs_fail_validation_naming_the_key(pype: Any, tmp_path: Path) -> None:
    result = validate_configs(
        pype,
        tmp_path,
        "select_mod",
        {
            "twice": {"optional": {"keep": ["a", "a"]}},
            "both": {"optional": {"keep": ["a", "b"], "drop": ["c"]}},
            "clash": {"optional": {"rename": {"a": "c", "b": "c"}}},
            "typed": {"optional": {"order": "a"}},
            "empty": {"optional": {"keep": []}},
        },
    )
    assert result.code == 2
    assert problem_lines(result) == [
        "module 'twice' (select_mod): keep: names a column more than once: a",
        "module 'both' (select_mod): drop: give keep or drop, not both (keep already drops the rest)",
        "module 'clash' (select_mod): rename: gives two columns the name 'c'",
        "module 'typed' (select_mod): order must be list, got str 'a'",
        "module 'empty' (select_mod): keep: must name at least one column",
    ]
