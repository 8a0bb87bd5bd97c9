"""cast_mod: values and dtypes as pandas' own conversions give them; each error policy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pypeline.modules.mods.cast_mod import CastMod
from pypeline.modules.mods.frame_errors import FrameError
from pypeline.testing import rows, run_module

from .transform_flows import error_of, problem_lines, run_transform, validate_configs

MODES = ["pandas", "dask"]


@pytest.fixture
def raw() -> pd.DataFrame:
    """Everything as text, the way a CSV read without dtypes arrives; row 2 is all bad."""
    return pd.DataFrame(
        {
            "id": ["1", " 2", "x", "4", None],
            "amount": ["1.5", "2", "n/a", "1e3", "5"],
            "vip": ["yes", "No", "maybe", "1", None],
            "signed": ["2024-01-05", "2024-02-01T10:30:00", "soon", "2024-03-01", None],
        }
    )


@pytest.mark.parametrize("mode", MODES)
def test_good_values_convert_like_pandas(raw: pd.DataFrame, mode: str) -> None:
    good = raw.drop(index=2)
    types = {"id": "int", "amount": "float", "vip": "bool", "signed": "datetime"}
    out = run_module(CastMod, {"types": types}, {"input": good}, mode=mode).frame("output")

    expected = pd.DataFrame(
        {
            "id": pd.to_numeric(good.id.str.strip()).astype("Int64"),
            "amount": pd.to_numeric(good.amount),
            "vip": pd.array([True, False, True, None], dtype="boolean"),
            "signed": pd.to_datetime(good.signed, format="ISO8601"),
        }
    )
    assert rows(out) == rows(expected)
    assert [str(t) for t in out.dtypes] == [
        "Int64",
        "float64",
        "boolean",
        str(expected.signed.dtype),
    ]


@pytest.mark.parametrize("mode", MODES)
def test_date_cuts_to_midnight_and_formats_apply(mode: str) -> None:
    frame = pd.DataFrame({"d": ["05/01/2024 10:30", "31/12/2023 23:59"], "n": [20240105, 1]})
    config = {"types": {"d": "date", "n": "str"}, "formats": {"d": "%d/%m/%Y %H:%M"}}
    out = run_module(CastMod, config, {"input": frame}, mode=mode).frame("output")

    expected = pd.to_datetime(frame.d, format="%d/%m/%Y %H:%M").dt.normalize()
    assert out["d"].tolist() == expected.tolist()
    assert out["n"].tolist() == ["20240105", "1"]


@pytest.mark.parametrize("mode", MODES)
def test_errors_null_makes_unconvertible_values_null(raw: pd.DataFrame, mode: str) -> None:
    config = {"types": {"id": "int", "amount": "float"}, "errors": "null"}
    run = run_module(CastMod, config, {"input": raw}, mode=mode)

    expected = pd.to_numeric(raw.amount, errors="coerce")
    assert run.frame("output")["amount"].tolist()[:2] == expected.tolist()[:2]
    assert rows(run.frame("output")[["id"]]) == [(1,), (2,), (None,), (4,), (None,)]
    assert run.frame("reject").empty
    assert list(run.frame("reject").columns) == [*raw.columns, "error_message"]


@pytest.mark.parametrize("mode", MODES)
def test_errors_reject_sends_the_row_as_it_came_with_reasons(raw: pd.DataFrame, mode: str) -> None:
    types = {"id": "int", "amount": "float", "vip": "bool", "signed": "date"}
    run = run_module(CastMod, {"types": types, "errors": "reject"}, {"input": raw}, mode=mode)

    assert rows(run.frame("output")[["id"]]) == [(1,), (2,), (4,), (None,)]  # null is no error
    reject = run.frame("reject")
    assert rows(reject.drop(columns="error_message")) == rows(raw.iloc[[2]])
    assert reject["error_message"].tolist() == [
        "id: cannot convert 'x' to int; amount: cannot convert 'n/a' to float; "
        "vip: cannot convert 'maybe' to bool; signed: cannot convert 'soon' to date"
    ]


@pytest.mark.parametrize("mode", MODES)
def test_errors_raise_names_column_value_and_row(mode: str) -> None:
    frame = pd.DataFrame({"id": ["1", "2", "1.5"]})
    with pytest.raises(FrameError) as failed:
        run_module(
            CastMod,
            {"types": {"id": "int"}},
            {"input": frame},
            mode=mode,
            partitions=1,
            module_id="f",
        )
    assert str(failed.value) == (
        "f (cast_mod): types: id: cannot convert '1.5' (row index 2) to int; "
        "errors: null or errors: reject carries on instead"
    )


def test_unknown_column_is_a_run_error_naming_the_node(pypeline_flow: Any) -> None:
    configs = {"required": {"types": {"age": "int"}}}
    run = run_transform(pypeline_flow, "cast_mod", configs, {"input": [{"id": 1}]})
    assert run.exit_code == 1
    assert error_of(run) == "t (cast_mod): types: unknown column 'age' (columns: id)"


def test_bad_configs_fail_validation_naming_the_key(pype: Any, tmp_path: Path) -> None:
    result = validate_configs(
        pype,
        tmp_path,
        "cast_mod",
        {
            "type": {"required": {"types": {"id": "integer"}}},
            "policy": {"required": {"types": {"id": "int"}}, "optional": {"errors": "ignore"}},
            "format": {"required": {"types": {"id": "int"}}, "optional": {"formats": {"id": "%Y"}}},
        },
    )
    assert result.code == 2
    assert problem_lines(result) == [
        "module 'type' (cast_mod): types: id: unknown type 'integer' "
        "(types: int, float, str, bool, datetime, date)",
        "module 'policy' (cast_mod): errors: must be one of raise, null, reject, not 'ignore'",
        "module 'format' (cast_mod): formats: id: only datetime and date columns take a format",
    ]
