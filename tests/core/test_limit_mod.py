"""limit_mod: the rows pandas' iloc[offset:offset + rows] gives, across dask partitions too."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pypeline.modules.mods.limit_mod import LimitMod
from pypeline.testing import rows, run_module

from .transform_flows import error_of, problem_lines, run_transform, validate_configs

MODES = ["pandas", "dask"]


@pytest.fixture
def numbers() -> pd.DataFrame:
    return pd.DataFrame({"n": range(50), "text": [f"row {i}" for i in range(50)]})


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("rows_", "offset"), [(5, 0), (15, 8), (0, 3), (100, 45), (10, 60)])
def test_window_matches_iloc(numbers: pd.DataFrame, rows_: int, offset: int, mode: str) -> None:
    config = {"rows": rows_, "offset": offset}
    run = run_module(LimitMod, config, {"input": numbers}, mode=mode, partitions=5)
    assert rows(run.frame("output")) == rows(numbers.iloc[offset : offset + rows_])


def test_dask_mode_computes_nothing(numbers: pd.DataFrame) -> None:
    run = run_module(LimitMod, {"rows": 3}, {"input": numbers}, mode="dask", partitions=5)
    assert type(run.outputs["output"]).__module__.startswith("dask")
    assert run.outputs["output"].npartitions == 1


def test_a_templated_count_is_checked_when_rendered(pypeline_flow: Any) -> None:
    configs = {"required": {"rows": "{{ 1 - 3 }}"}}  # the build cannot check a template
    run = run_transform(pypeline_flow, "limit_mod", configs, {"input": [{"n": 1}]})
    assert run.exit_code == 1
    assert error_of(run).endswith(": module 't' (limit_mod): rows: must be 0 or more, not -2")


def test_bad_configs_fail_validation_naming_the_key(pype: Any, tmp_path: Path) -> None:
    result = validate_configs(
        pype,
        tmp_path,
        "limit_mod",
        {
            "negative": {"required": {"rows": -1}},
            "offset": {"required": {"rows": 1}, "optional": {"offset": -5}},
            "text": {"required": {"rows": "ten"}},
            "missing": {"optional": {"offset": 2}},
        },
    )
    assert result.code == 2
    assert problem_lines(result) == [
        "module 'negative' (limit_mod): rows: must be 0 or more, not -1",
        "module 'offset' (limit_mod): offset: must be 0 or more, not -5",
        "module 'text' (limit_mod): rows must be int, got str 'ten'",
        "module 'missing' (limit_mod): missing required config key 'rows'",
    ]
