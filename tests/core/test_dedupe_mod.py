"""dedupe_mod: the rows pandas' duplicated keeps and marks, on output and duplicates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from pypeline.modules.mods.dedupe_mod import DedupeMod
from pypeline.modules.mods.frame_errors import FrameError
from pypeline.testing import rows, run_module

from .transform_flows import error_of, problem_lines, run_transform, validate_configs

MODES = ["pandas", "dask"]
KEEP = {"first": "first", "last": "last", "none": False}


@pytest.fixture
def visits() -> pd.DataFrame:
    rng = np.random.default_rng(9)
    return pd.DataFrame(
        {
            "email": rng.choice(["a@x", "b@x", "c@x", None], 60),
            "page": rng.choice(["home", "cart"], 60),
            "seq": range(60),
        }
    )


def _by_seq(frame: pd.DataFrame) -> list[tuple[Any, ...]]:
    return sorted(rows(frame), key=lambda row: row[-1])  # dask mode groups rows by partition


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("keep", ["first", "last", "none"])
@pytest.mark.parametrize("subset", [["email"], ["email", "page"]])
def test_split_matches_pandas_duplicated(
    visits: pd.DataFrame, keep: str, subset: list[str], mode: str
) -> None:
    config = {"subset": subset, "keep": keep}
    run = run_module(DedupeMod, config, {"input": visits}, mode=mode, partitions=4)

    repeated = visits.duplicated(subset, keep=KEEP[keep])
    assert _by_seq(run.frame("output")) == rows(visits[~repeated])
    assert _by_seq(run.frame("duplicates")) == rows(visits[repeated])


def test_pandas_mode_keeps_the_input_order(visits: pd.DataFrame) -> None:
    run = run_module(DedupeMod, {"subset": ["email"], "keep": "last"}, {"input": visits})
    assert run.frame("output")["seq"].is_monotonic_increasing


@pytest.mark.parametrize("mode", MODES)
def test_default_subset_is_every_column(mode: str) -> None:
    frame = pd.DataFrame({"a": [1, 1, 1, None, None], "b": ["x", "x", "y", None, None]})
    run = run_module(DedupeMod, {}, {"input": frame}, mode=mode)
    assert sorted(rows(run.frame("output")), key=repr) == sorted(
        [(1.0, "x"), (1.0, "y"), (None, None)], key=repr
    )
    assert rows(run.frame("duplicates")) == [(1.0, "x"), (None, None)]


@pytest.mark.parametrize("mode", MODES)
def test_unknown_subset_column(visits: pd.DataFrame, mode: str) -> None:
    with pytest.raises(FrameError) as failed:
        run_module(DedupeMod, {"subset": ["mail"]}, {"input": visits}, mode=mode, module_id="f")
    assert str(failed.value) == (
        "f (dedupe_mod): subset: unknown column 'mail' (columns: email, page, seq); "
        "did you mean 'email'?"
    )


def test_a_run_error_names_the_node(pypeline_flow: Any) -> None:
    configs = {"optional": {"subset": ["key"]}}
    run = run_transform(
        pypeline_flow,
        "dedupe_mod",
        configs,
        {"input": [{"id": 1}]},
        outputs=("output", "duplicates"),
    )
    assert run.exit_code == 1
    assert error_of(run) == "t (dedupe_mod): subset: unknown column 'key' (columns: id)"


def test_bad_configs_fail_validation_naming_the_key(pype: Any, tmp_path: Path) -> None:
    result = validate_configs(
        pype,
        tmp_path,
        "dedupe_mod",
        {
            "keep": {"optional": {"keep": "latest"}},
            "empty": {"optional": {"subset": []}},
            "names": {"optional": {"subset": ["a", 3]}},
        },
    )
    assert result.code == 2
    assert problem_lines(result) == [
        "module 'keep' (dedupe_mod): keep: must be one of first, last, none, not 'latest'",
        "module 'empty' (dedupe_mod): subset: must name at least one column",
        "module 'names' (dedupe_mod): subset: must be a list of column names, e.g. [id, name], "
        "not ['a', 3]",
    ]
