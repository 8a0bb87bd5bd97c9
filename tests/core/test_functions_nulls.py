"""Nulls and choice in flows: coalesce, is_null, if_else, nullif (both modes)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .function_runs import column, computed, failure


def people() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "nick": pd.Series(["Al", None, "", None], dtype="str"),
            "name": pd.Series(["Alan", "Bea", "Cy", None], dtype="str"),
            "age": pd.Series([30, None, 5, 70], dtype="Int64"),
            "score": [1.5, np.nan, -2.0, 0.0],
        }
    )


def test_coalesce_takes_the_first_value_that_is_not_null() -> None:
    frame = people()
    assert column(frame, "coalesce(nick, name, '?')") == ["Al", "Bea", "", "?"]
    assert column(frame, "coalesce(nick, null, name)") == ["Al", "Bea", "", None]
    assert column(frame, "coalesce(age, 0)") == [30, 0, 5, 70]
    assert column(frame, "coalesce(score, age)") == [1.5, None, -2.0, 0.0]


def test_coalesce_of_text_and_numbers_keeps_both_kinds() -> None:
    frame = people()
    assert column(frame, "coalesce(nick, age)") == ["Al", None, "", 70]
    out = computed(frame, out="coalesce(nick, age)").frame("output")["out"]
    assert str(out.dtype) == "object"


def test_is_null_is_never_null_and_empty_text_is_not_null() -> None:
    frame = people()
    assert column(frame, "is_null(nick)") == [False, True, False, True]
    assert column(frame, "is_null(score)") == [False, True, False, False]
    assert column(frame, "is_null(3)") == [False] * 4


def test_if_else_picks_b_when_the_condition_is_null_or_false() -> None:
    frame = people()
    assert column(frame, "if_else(age >= 18, 'adult', 'minor')") == ["adult", "minor", "minor",
                                                                     "adult"]  # fmt: skip
    assert column(frame, "if_else(is_null(nick), name, nick)") == ["Al", "Bea", "", None]
    assert column(frame, "if_else(score > 0, age, score)") == [30, None, -2.0, 0.0]
    assert column(frame, "if_else(contains(nick, 'A'), 1, 2)") == [1, 2, 2, 2]


def test_if_else_wants_a_condition() -> None:
    assert "expected true/false values" in failure(people(), "if_else(name, 1, 2)")


def test_nullif_turns_one_value_into_null() -> None:
    frame = pd.DataFrame({"code": ["N/A", "x", None, "n/a"], "n": [0, 1, 2, 0]})
    assert column(frame, "nullif(code, 'N/A')") == [None, "x", None, "n/a"]
    assert column(frame, "nullif(n, 0)") == [None, 1, 2, None]
    assert column(frame, "nullif(n, null)") == [0, 1, 2, 0]
    out = computed(frame, out="nullif(n, 5)").frame("output")["out"]
    assert str(out.dtype) == "Int64"  # the same dtype whether or not a value matched


def test_unicode_and_mixed_values_pass_through_choices() -> None:
    mixed = pd.DataFrame({"v": pd.Series(["😀", None, 3], dtype=object)})
    assert column(mixed, "coalesce(v, 'İ')") == ["😀", "İ", 3]
    assert column(mixed, "if_else(is_null(v), 'e\u0301', 'x')") == ["x", "e\u0301", "x"]
