"""sort_mod: the order pandas' stable sort_values gives, in pandas and dask mode."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from pypeline.modules.mods.frame_errors import FrameError
from pypeline.modules.mods.sort_mod import SortMod
from pypeline.testing import rows, run_module

from .transform_flows import error_of, problem_lines, run_transform, validate_configs

MODES = ["pandas", "dask"]


@pytest.fixture
def people() -> pd.DataFrame:
    rng = np.random.default_rng(5)
    frame = pd.DataFrame(
        {
            "country": rng.choice(["FR", "DE", "US", None], 60),
            "age": rng.integers(0, 90, 60).astype(float),
            "id": range(60),
        }
    )
    frame.loc[[4, 9], "age"] = np.nan
    return frame


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("na_position", ["last", "first"])
def test_order_matches_pandas(people: pd.DataFrame, na_position: str, mode: str) -> None:
    config = {"by": ["country", "-age", {"column": "id", "descending": True}]}
    config["na_position"] = na_position
    run = run_module(SortMod, config, {"input": people}, mode=mode, partitions=4)

    expected = people.sort_values(
        ["country", "age", "id"],
        ascending=[True, False, False],
        na_position=na_position,
        kind="stable",
    )
    assert rows(run.frame("output")) == rows(expected)


def test_equal_keys_keep_their_input_order(people: pd.DataFrame) -> None:
    run = run_module(SortMod, {"by": ["country"]}, {"input": people})
    out = run.frame("output")
    for _, group in out.groupby("country", dropna=False):
        assert group["id"].is_monotonic_increasing


@pytest.mark.parametrize("mode", MODES)
def test_unknown_column_lists_the_columns(people: pd.DataFrame, mode: str) -> None:
    with pytest.raises(FrameError) as failed:
        run_module(SortMod, {"by": ["-agee"]}, {"input": people}, mode=mode, module_id="f")
    assert str(failed.value) == (
        "f (sort_mod): by: unknown column 'agee' (columns: country, age, id); did you mean 'age'?"
    )


def test_a_run_error_names_the_node(pypeline_flow: Any) -> None:
    configs = {"required": {"by": ["name"]}}
    run = run_transform(pypeline_flow, "sort_mod", configs, {"input": [{"id": 2}, {"id": 1}]})
    assert run.exit_code == 1
    assert error_of(run) == "t (sort_mod): by: unknown column 'name' (columns: id)"


def test_bad_configs_fail_validation_naming_the_key(pype: Any, tmp_path: Path) -> None:
    result = validate_configs(
        pype,
        tmp_path,
        "sort_mod",
        {
            "empty": {"required": {"by": []}},
            "dash": {"required": {"by": ["-"]}},
            "form": {"required": {"by": [{"column": "a", "desc": True}]}},
            "twice": {"required": {"by": ["a", "-a"]}},
            "nulls": {"required": {"by": ["a"]}, "optional": {"na_position": "top"}},
        },
    )
    assert result.code == 2
    assert problem_lines(result) == [
        "module 'empty' (sort_mod): by: must list at least one column, e.g. [country, -amount], "
        "not []",
        "module 'dash' (sort_mod): by: '-' is not a column name, -name or {column: name}",
        "module 'form' (sort_mod): by: {'column': 'a', 'desc': True}: takes column and "
        "descending (true or false)",
        "module 'twice' (sort_mod): by: names a column more than once: a",
        "module 'nulls' (sort_mod): na_position: must be one of last, first, not 'top'",
    ]
