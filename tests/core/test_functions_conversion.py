"""Conversions in flows: what converts, what becomes null and is counted (both modes)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .function_runs import column, computed, nulled

TEXTS = pd.DataFrame({"s": [" 42 ", "-7", None, "", "1.5", "x", "9223372036854775808", "٣"]})


def test_to_int_reads_whole_numbers_and_counts_the_rest() -> None:
    assert column(TEXTS, "to_int(s)") == [42, -7, None, None, None, None, None, None]
    assert nulled(TEXTS, out="to_int(s)") == 5  # '', '1.5', 'x', beyond 64 bits, Arabic digit
    edge = pd.DataFrame({"s": ["9223372036854775807", "-9223372036854775808", "007"]})
    assert column(edge, "to_int(s)") == [2**63 - 1, -(2**63), 7]


def test_to_int_cuts_fractions_and_takes_booleans() -> None:
    frame = pd.DataFrame({"f": [1.9, -1.9, np.nan, np.inf], "b": [True, False, True, False]})
    assert column(frame, "to_int(f)") == [1, -1, None, None]
    assert nulled(frame, out="to_int(f)") == 1  # inf; NaN was null already
    assert column(frame, "to_int(b)") == [1, 0, 1, 0]
    assert str(computed(frame, out="to_int(f)").frame("output")["out"].dtype) == "Int64"


def test_to_float_reads_plain_numbers_only() -> None:
    frame = pd.DataFrame({"s": ["2.5", " -1e3 ", ".5", "inf", None, "1,5", "$3", "nan"]})
    values = column(frame, "to_float(s)")
    assert values == [2.5, -1000.0, 0.5, float("inf"), None, None, None, None]
    assert nulled(frame, out="to_float(s)") == 3
    ints = pd.DataFrame({"i": pd.Series([1, None], dtype="Int64")})
    assert column(ints, "to_float(i)") == [1.0, None]


def test_to_str_prints_values_and_keeps_nulls() -> None:
    frame = pd.DataFrame(
        {
            "i": pd.Series([1, None], dtype="Int64"),
            "f": [2.5, None],
            "b": pd.Series([True, None], dtype="boolean"),
            "d": pd.to_datetime(["2024-01-31", None]),
        }
    )
    assert column(frame, "to_str(i)") == ["1", None]
    assert column(frame, "to_str(f)") == ["2.5", None]
    assert column(frame, "to_str(b)") == ["True", None]
    assert column(frame, "to_str(d)") == ["2024-01-31", None]


def test_to_bool_takes_the_shared_spellings_in_any_case() -> None:
    frame = pd.DataFrame({"s": ["t", "F", " Yes ", "n", "1", "0", "TRUE", None, "", "maybe"]})
    expected = [True, False, True, False, True, False, True, None, None, None]
    assert column(frame, "to_bool(s)") == expected
    assert nulled(frame, out="to_bool(s)") == 2
    numbers = pd.DataFrame({"n": [1, 0, 2]})
    assert column(numbers, "to_bool(n)") == [True, False, None]


def test_to_number_is_lenient_as_spreadsheets_write_numbers() -> None:
    frame = pd.DataFrame({"s": ["$1,715.0", "38%", " 1 234 ", "(5)", "€3", None, "", "1,5", "x"]})
    assert column(frame, "to_number(s)") == [1715.0, 0.38, 1234.0, -5.0, 3.0, None, None, None,
                                             None]  # fmt: skip
    assert nulled(frame, out="to_number(s)") == 3
    out = computed(pd.DataFrame({"s": ["1", "2"]}), out="to_number(s)").frame("output")["out"]
    assert str(out.dtype) == "float64"  # whatever the values: every partition agrees


def test_mixed_object_columns_convert_value_by_value() -> None:
    mixed = pd.DataFrame({"v": pd.Series([12, "7", None, "a", 2.5], dtype=object)})
    assert column(mixed, "to_number(v)") == [12.0, 7.0, None, None, 2.5]
    assert column(mixed, "to_str(v)") == ["12", "7", None, "a", "2.5"]
    assert column(mixed, "to_int(v)") == [12, 7, None, None, None]


def test_values_nulled_adds_up_over_expressions_and_conversions() -> None:
    frame = pd.DataFrame({"a": ["1", "x"], "b": ["t", "?"]})
    assert nulled(frame, x="to_int(a)", y="to_bool(b)", z="to_number(a)") == 3
    assert nulled(frame, x="lower(a)", y="to_int(lower(a))") == 1  # text functions count none
    assert "values_nulled" not in computed(frame, x="lower(a)").globals  # nothing converts
