"""drop_nulls_mod: rows with nulls to reject, naming the null columns; how any/all; both modes;
reject accounting in a real flow; bad configs at build."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from pypeline.modules.mods.drop_nulls_mod import DropNullsMod
from pypeline.testing import rows, run_module

from .transform_flows import error_of, problem_lines, run_transform, validate_configs

MODES = ["pandas", "dask"]


@pytest.fixture
def people() -> pd.DataFrame:
    """Nulls of every kind: None, NaN, NaT, pandas NA; and an empty text, which is a value."""
    return pd.DataFrame(
        {
            "id": pd.array([1, 2, 3, 4, 5], dtype="Int64"),
            "email": ["a@x", None, "", None, "e@x"],
            "score": [1.5, np.nan, 2.0, np.nan, 3.0],
            "seen": pd.to_datetime(["2024-01-01", None, "2024-01-03", None, None]),
        }
    )


@pytest.mark.parametrize("mode", MODES)
def test_any_null_in_any_column_rejects_the_row_naming_the_columns(
    people: pd.DataFrame, mode: str
) -> None:
    run = run_module(DropNullsMod, {}, {"input": people}, mode=mode)

    assert rows(run.frame("output")) == rows(people.iloc[[0, 2]])  # '' is no null
    reject = run.frame("reject")
    assert rows(reject.drop(columns="error_message")) == rows(people.iloc[[1, 3, 4]])
    assert reject["error_message"].tolist() == [
        "null in email, score, seen",
        "null in email, score, seen",
        "null in seen",
    ]


@pytest.mark.parametrize("mode", MODES)
def test_columns_limit_what_is_looked_at(people: pd.DataFrame, mode: str) -> None:
    run = run_module(DropNullsMod, {"columns": ["score", "id"]}, {"input": people}, mode=mode)
    assert run.frame("output")["id"].tolist() == [1, 3, 5]
    assert run.frame("reject")["error_message"].tolist() == ["null in score"] * 2


@pytest.mark.parametrize("mode", MODES)
def test_how_all_rejects_only_rows_whose_columns_are_all_null(
    people: pd.DataFrame, mode: str
) -> None:
    config = {"columns": ["email", "seen"], "how": "all"}
    run = run_module(DropNullsMod, config, {"input": people}, mode=mode)
    assert run.frame("output")["id"].tolist() == [1, 3, 5]
    assert run.frame("reject")["id"].tolist() == [2, 4]
    assert run.frame("reject")["error_message"].tolist() == ["null in email, seen"] * 2


@pytest.mark.parametrize("mode", MODES)
def test_no_nulls_gives_an_empty_reject_with_the_columns(mode: str) -> None:
    frame = pd.DataFrame({"a": ["", " "], "b": [0, 1]})
    run = run_module(DropNullsMod, {}, {"input": frame}, mode=mode)
    assert rows(run.frame("output")) == [("", 0), (" ", 1)]
    assert run.frame("reject").empty
    assert list(run.frame("reject").columns) == ["a", "b", "error_message"]


def test_dask_mode_computes_nothing(people: pd.DataFrame) -> None:
    run = run_module(DropNullsMod, {}, {"input": people}, mode="dask")
    assert hasattr(run.outputs["output"], "dask") and hasattr(run.outputs["reject"], "dask")


FLOW_ROWS = [{"id": 1, "a": "x"}, {"id": 2, "a": None}, {"id": 3, "a": None}]


@pytest.mark.parametrize("mode", MODES)
def test_rows_rejected_is_counted_and_an_unread_reject_is_no_loss(
    pypeline_flow: Any, mode: str
) -> None:
    run = run_transform(pypeline_flow, "drop_nulls_mod", {}, {"input": FLOW_ROWS}, mode=mode)
    assert run.exit_code == 0
    assert run.node("t")["rows_rejected"] == 2
    assert run.of("rejects_dropped") == []  # asked-for drops, like filter_mod's


def test_read_rejects_reach_the_next_module(pypeline_flow: Any) -> None:
    outputs = ("output", "reject")
    run = run_transform(pypeline_flow, "drop_nulls_mod", {}, {"input": FLOW_ROWS}, outputs=outputs)
    assert run.exit_code == 0
    assert run.node("t")["rows_rejected"] == 2
    assert run.node("show_reject")["rows_in"] == 2
    assert run.node("show_output")["rows_in"] == 1


def test_an_unknown_column_is_a_run_error_naming_the_node(pypeline_flow: Any) -> None:
    configs = {"optional": {"columns": ["ida"]}}
    run = run_transform(pypeline_flow, "drop_nulls_mod", configs, {"input": FLOW_ROWS})
    assert run.exit_code == 1
    assert error_of(run) == (
        "t (drop_nulls_mod): columns: unknown column 'ida' (columns: id, a); did you mean 'id'?"
    )


def test_bad_configs_fail_validation_naming_the_key(pype: Any, tmp_path: Path) -> None:
    result = validate_configs(
        pype,
        tmp_path,
        "drop_nulls_mod",
        {
            "how": {"optional": {"how": "some"}},
            "empty": {"optional": {"columns": []}},
            "text": {"optional": {"columns": "email"}},
        },
    )
    assert result.code == 2
    assert problem_lines(result) == [
        "module 'how' (drop_nulls_mod): how: must be one of any, all, not 'some'",
        "module 'empty' (drop_nulls_mod): columns: must name at least one column",
        "module 'text' (drop_nulls_mod): columns must be list, got str 'email'",
    ]
    assert all(line.startswith("flow.yaml:") for line in result.err.splitlines()[:3])
