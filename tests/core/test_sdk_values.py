"""pypeline.sdk.values: the boolean spellings and lenient numbers every reader shares."""

from __future__ import annotations

import math

import pandas as pd
import pyarrow as pa
import pytest

from pypeline.sdk.values import (
    BOOL_SPELLINGS,
    FALSE_SPELLINGS,
    TRUE_SPELLINGS,
    parse_bool,
    parse_bool_arrow,
    parse_number,
)

TEXT_DTYPES = ["str", "string[pyarrow]", "string[python]", object]


def _number(text: str | None, decimal: str = ".") -> float | None:
    values, failed = parse_number(pd.Series([text], dtype="str"), decimal)
    if failed.iloc[0]:
        return None
    value = values.iloc[0]
    return None if pd.isna(value) else float(value)


@pytest.mark.parametrize("dtype", TEXT_DTYPES)
def test_every_spelling_in_any_case_with_spaces_and_nulls_stay_null(dtype: object) -> None:
    words = [*TRUE_SPELLINGS, *FALSE_SPELLINGS]
    text = [w.upper() for w in words] + [f" {w.title()}\u00a0" for w in words] + [None]
    values, failed = parse_bool(pd.Series(text, dtype=dtype, index=range(10, 10 + len(text))))

    truth = [w in TRUE_SPELLINGS for w in words]
    assert values.tolist() == [*truth, *truth, pd.NA]
    assert str(values.dtype) == "boolean"
    assert list(values.index) == list(range(10, 10 + len(text)))
    assert not failed.any()
    assert BOOL_SPELLINGS.startswith("true, t, yes, y, 1 and false, f, no, n, 0")


def test_unknown_spellings_and_empty_text_fail_as_null() -> None:
    values, failed = parse_bool(pd.Series(["maybe", "", "tru", "2", "on", None]))
    assert values.isna().all()
    assert failed.tolist() == [True, True, True, True, True, False]


def test_booleans_pass_and_numbers_take_only_one_and_zero() -> None:
    values, failed = parse_bool(pd.Series([1, 0, 2, None], dtype="Int64"))
    assert values.tolist() == [True, False, pd.NA, pd.NA]
    assert failed.tolist() == [False, False, True, False]
    values, failed = parse_bool(pd.Series([True, None], dtype="boolean"))
    assert values.tolist() == [True, pd.NA] and not failed.any()


def test_the_arrow_form_gives_the_same_answer_without_pandas() -> None:
    values, failed = parse_bool_arrow(pa.array([" Y", "no", "x", None]))
    assert values.to_pylist() == [True, False, None, None]
    assert failed.to_pylist() == [False, False, True, False]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("$1,715.0", 1715.0),
        ("38%", 0.38),
        (" % 5 ", 0.05),
        ("€ 12", 12.0),
        ("12 €", 12.0),
        ("£3.50", 3.5),
        ("¥1,000", 1000.0),
        ("-$5", -5.0),
        ("$-5", -5.0),
        ("+3", 3.0),
        ("1\u00a0234\u202f567", 1234567.0),
        ("(1,234.50)", -1234.5),
        ("($7)", -7.0),
        ("1e3", 1000.0),
        ("-2.5E-1", -0.25),
        (".5", 0.5),
        ("5.", 5.0),
        ("1,234,567.891", 1234567.891),
        ("inf", math.inf),
        ("-Infinity", -math.inf),
    ],
)
def test_lenient_numbers(text: str, number: float) -> None:
    assert _number(text) == pytest.approx(number)


@pytest.mark.parametrize(
    "text", ["", "  ", "abc", "1,5", "12,34", "1,2345", "(-5)", "5%%", "%", "$", "nan", "1.2.3"]
)
def test_what_is_not_a_number_fails(text: str) -> None:
    assert _number(text) is None


@pytest.mark.parametrize(
    ("text", "number"),
    [("1.234,5", 1234.5), ("1 234,5", 1234.5), ("3,5%", 0.035), ("12", 12.0), ("-0,5", -0.5)],
)
def test_comma_as_decimal_separator(text: str, number: float) -> None:
    assert _number(text, ",") == pytest.approx(number)


def test_comma_decimal_refuses_the_dot_style() -> None:
    assert _number("1,234.5", ",") is None
    assert _number("1.5", ",") is None  # '.' groups thousands: three digits after it
    with pytest.raises(ValueError, match="decimal must be one of"):
        parse_number(pd.Series(["1"]), ";")


def test_whole_numbers_keep_every_digit_and_nulls_are_no_failure() -> None:
    values, failed = parse_number(pd.Series(["9007199254740993", "-12", None], index=[5, 6, 7]))
    assert str(values.dtype) == "Int64"
    assert values.tolist() == [9007199254740993, -12, pd.NA]
    assert list(values.index) == [5, 6, 7]
    assert failed.tolist() == [False, False, False]


def test_a_fraction_or_percent_makes_floats_and_failures_are_nan() -> None:
    values, failed = parse_number(pd.Series(["1", "2%", "x"], dtype=object))
    assert str(values.dtype) == "float64"
    assert values.tolist()[:2] == [1.0, 0.02] and math.isnan(values.iloc[2])
    assert failed.tolist() == [False, False, True]


def test_numbers_and_booleans_pass_through() -> None:
    numbers = pd.Series([1.5, None])
    values, failed = parse_number(numbers)
    assert values.equals(numbers) and not failed.any()
    values, failed = parse_number(pd.Series([True, False]))
    assert values.tolist() == [1.0, 0.0] and not failed.any()
