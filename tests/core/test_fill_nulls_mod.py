"""fill_nulls_mod: nulls get each column's value, empty text stays, a value must fit its
column's type (run error naming column and value), bad shapes fail the build; both modes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from pypeline.modules.mods.fill_nulls_mod import FillNullsMod
from pypeline.modules.mods.frame_errors import FrameError
from pypeline.testing import rows, run_module

from .transform_flows import error_of, problem_lines, run_transform, validate_configs

MODES = ["pandas", "dask"]


@pytest.fixture
def orders() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "country": ["FR", None, "", "DE"],
            "units": pd.array([1, None, 3, None], dtype="Int64"),
            "discount": [0.5, np.nan, np.nan, 1.0],
            "vip": pd.array([True, None, False, None], dtype="boolean"),
            "signed": pd.to_datetime(["2024-01-05", None, "2024-02-01", None]),
            "note": ["a", None, None, "d"],
        }
    )


@pytest.mark.parametrize("mode", MODES)
def test_nulls_get_each_columns_value_and_empty_text_stays(orders: pd.DataFrame, mode: str) -> None:
    values = {
        "country": "unknown",
        "units": 0,
        "discount": 0,
        "vip": False,
        "signed": dt.date(1970, 1, 1),
    }
    out = run_module(FillNullsMod, {"values": values}, {"input": orders}, mode=mode)
    frame = out.frame("output")

    epoch, jan5, feb1 = (pd.Timestamp(d) for d in ("1970-01-01", "2024-01-05", "2024-02-01"))
    assert rows(frame) == [
        ("FR", 1, 0.5, True, jan5, "a"),
        ("unknown", 0, 0.0, False, epoch, None),  # note is not named: its nulls stay
        ("", 3, 0.0, False, feb1, None),
        ("DE", 0, 1.0, False, epoch, "d"),
    ]
    assert [str(t) for t in frame.dtypes][1:5] == [
        "Int64",
        "float64",
        "boolean",
        str(orders.signed.dtype),
    ]


@pytest.mark.parametrize("mode", MODES)
def test_whole_floats_fill_int_columns_and_text_fills_datetimes(
    orders: pd.DataFrame, mode: str
) -> None:
    values = {"units": 7.0, "signed": "2000-01-02 03:04"}
    out = run_module(FillNullsMod, {"values": values}, {"input": orders}, mode=mode)
    assert out.frame("output")["units"].tolist() == [1, 7, 3, 7]
    assert out.frame("output")["signed"].iloc[1] == pd.Timestamp("2000-01-02 03:04")


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("discount", "none", "'none' does not fit the column's type float64 (it takes a number)"),
        ("units", 2.5, "2.5 does not fit the column's type Int64 (it takes a whole number)"),
        ("units", True, "True does not fit the column's type Int64 (it takes a whole number)"),
        ("vip", 1, "1 does not fit the column's type boolean (it takes true or false)"),
        ("signed", "soon", "'soon' does not fit the column's type datetime64[us]"),
        ("country", 0, "0 does not fit the column's type str (it takes text (quote a number"),
    ],
)
@pytest.mark.parametrize("mode", MODES)
def test_a_value_that_does_not_fit_names_column_and_value(
    orders: pd.DataFrame, mode: str, column: str, value: object, message: str
) -> None:
    with pytest.raises(FrameError) as failed:
        run_module(FillNullsMod, {"values": {column: value}}, {"input": orders}, mode=mode)
    expected = f"node (fill_nulls_mod): values: {column}: {message}"
    if mode == "dask" and column == "country":
        expected = expected.replace("type str ", "type string ")
    assert str(failed.value).startswith(expected)


def test_mixed_object_columns_take_any_value() -> None:
    frame = pd.DataFrame({"x": pd.Series([1, "a", None], dtype=object)})
    out = run_module(FillNullsMod, {"values": {"x": 0}}, {"input": frame})
    assert out.frame("output")["x"].tolist() == [1, "a", 0]


def test_dask_mode_computes_nothing(orders: pd.DataFrame) -> None:
    run = run_module(FillNullsMod, {"values": {"units": 0}}, {"input": orders}, mode="dask")
    assert hasattr(run.outputs["output"], "dask")


def test_an_unknown_column_is_a_run_error_naming_the_node(pypeline_flow: Any) -> None:
    configs = {"required": {"values": {"cuntry": "FR"}}}
    run = run_transform(pypeline_flow, "fill_nulls_mod", configs, {"input": [{"country": None}]})
    assert run.exit_code == 1
    assert error_of(run) == (
        "t (fill_nulls_mod): values: unknown column 'cuntry' (columns: country); "
        "did you mean 'country'?"
    )


def test_a_flow_fills_in_both_modes(pypeline_flow: Any) -> None:
    for mode in MODES:
        configs = {"required": {"values": {"n": 0}}}
        data = {"input": [{"n": 1}, {"n": None}]}
        run = run_transform(pypeline_flow, "fill_nulls_mod", configs, data, mode=mode)
        assert run.exit_code == 0, mode


def test_bad_shapes_fail_validation_naming_the_key(pype: Any, tmp_path: Path) -> None:
    result = validate_configs(
        pype,
        tmp_path,
        "fill_nulls_mod",
        {
            "empty": {"required": {"values": {}}},
            "null": {"required": {"values": {"a": None}}},
            "list": {"required": {"values": {"a": [1, 2]}}},
            "map": {"required": {"values": {"a": {"b": 1}}}},
        },
    )
    assert result.code == 2
    assert problem_lines(result) == [
        "module 'empty' (fill_nulls_mod): values: must map each column to a value, "
        "e.g. {country: unknown}, not {}",
        "module 'null' (fill_nulls_mod): values: a: a fill value must not be null",
        "module 'list' (fill_nulls_mod): values: a: must be one value (text, a number, "
        "true/false or a date), not [1, 2]",
        "module 'map' (fill_nulls_mod): values: a: must be one value (text, a number, "
        "true/false or a date), not {'b': 1}",
    ]
    assert all(line.startswith("flow.yaml:") for line in result.err.splitlines()[:4])
