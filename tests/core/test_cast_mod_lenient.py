"""cast_mod reads numbers and booleans as pypeline.sdk.values does: currencies, percentages,
thousands separators, the `decimal` option, every boolean spelling; in both modes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pypeline.modules.mods.cast_mod import CastMod
from pypeline.sdk.values import BOOL_SPELLINGS
from pypeline.testing import rows, run_module

from .transform_flows import problem_lines, validate_configs

MODES = ["pandas", "dask"]


@pytest.mark.parametrize("mode", MODES)
def test_currencies_percentages_and_thousands_convert(mode: str) -> None:
    frame = pd.DataFrame(
        {
            "price": ["$1,715.0", "€ 12", "(1,234.50)", "1\u00a0000"],
            "rating": ["90%", " 38 % ", "100%", None],
            "units": ["1,000", "-3", "$7", "12"],
        }
    )
    types = {"price": "float", "rating": "float", "units": "int"}
    out = run_module(CastMod, {"types": types}, {"input": frame}, mode=mode).frame("output")

    assert rows(out) == [
        (1715.0, 0.9, 1000),
        (12.0, 0.38, -3),
        (-1234.5, 1.0, 7),
        (1000.0, None, 12),
    ]
    assert [str(t) for t in out.dtypes] == ["float64", "float64", "Int64"]


@pytest.mark.parametrize("mode", MODES)
def test_decimal_comma(mode: str) -> None:
    frame = pd.DataFrame({"amount": ["1.234,5", "1 234,5", "0,25", "7"], "n": ["1.000"] * 4})
    config = {"types": {"amount": "float", "n": "int"}, "decimal": ","}
    out = run_module(CastMod, config, {"input": frame}, mode=mode).frame("output")
    assert rows(out) == [(1234.5, 1000), (1234.5, 1000), (0.25, 1000), (7.0, 1000)]


@pytest.mark.parametrize("mode", MODES)
def test_ambiguous_numbers_are_rejected_not_guessed(mode: str) -> None:
    frame = pd.DataFrame({"id": [1, 2, 3, 4], "amount": ["1,5", "12.5", "", "1.234,5"]})
    config = {"types": {"amount": "float"}, "errors": "reject"}
    run = run_module(CastMod, config, {"input": frame}, mode=mode)

    assert rows(run.frame("output")) == [(2, 12.5)]
    reject = run.frame("reject")
    assert reject["id"].tolist() == [1, 3, 4]
    assert reject["error_message"].tolist() == [
        "amount: cannot convert '1,5' to float",
        "amount: cannot convert '' to float",
        "amount: cannot convert '1.234,5' to float",
    ]


@pytest.mark.parametrize("mode", MODES)
def test_every_boolean_spelling_in_any_case(mode: str) -> None:
    words = ["true", "T", " Yes ", "y", "1", "FALSE", "f", "No", "N", "0", None]
    frame = pd.DataFrame({"flag": words})
    out = run_module(CastMod, {"types": {"flag": "bool"}}, {"input": frame}, mode=mode)
    assert out.frame("output")["flag"].tolist() == [True] * 5 + [False] * 5 + [pd.NA]


@pytest.mark.parametrize("mode", MODES)
def test_unknown_boolean_spellings_become_null_and_are_counted(mode: str) -> None:
    frame = pd.DataFrame({"flag": ["on", "t", "", "nope"]})
    config = {"types": {"flag": "bool"}, "errors": "null"}
    out = run_module(CastMod, config, {"input": frame}, mode=mode)
    assert out.frame("output")["flag"].tolist() == [pd.NA, True, pd.NA, pd.NA]


def test_values_nulled_counts_the_lenient_failures() -> None:
    frame = pd.DataFrame({"price": ["$1", "1,5", "x", None]})
    config = {"types": {"price": "float"}, "errors": "null"}
    run = run_module(CastMod, config, {"input": frame})
    assert run.globals["values_nulled"] == 2


def test_the_description_lists_the_shared_spellings() -> None:
    assert BOOL_SPELLINGS in " ".join(CastMod.DESCRIPTION.split())


def test_a_bad_decimal_fails_validation(pype: Any, tmp_path: Path) -> None:
    config = {"required": {"types": {"n": "float"}}, "optional": {"decimal": ";"}}
    result = validate_configs(pype, tmp_path, "cast_mod", {"dec": config})
    assert result.code == 2
    assert problem_lines(result) == [
        "module 'dec' (cast_mod): decimal: must be one of ., ,, not ';'"
    ]
    assert result.err.startswith("flow.yaml:")
