"""Numbers in flows: round, abs, floor, ceil, least, greatest (both modes)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .function_runs import column, computed, failure, nulled


def values() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "x": [2.5, -2.5, 1.234, np.nan, 0.0],
            "i": pd.Series([1250, -1250, 7, None, 0], dtype="Int64"),
            "j": [3, 1, 2, 5, 4],
        }
    )


def test_round_takes_halves_away_from_zero_as_sql() -> None:
    frame = values()
    assert column(frame, "round(x)") == [3.0, -3.0, 1.0, None, 0.0]
    assert column(frame, "round(x, 2)") == [2.5, -2.5, 1.23, None, 0.0]
    assert column(frame, "round(i, -2)") == [1300, -1300, 0, None, 0]
    assert column(frame, "round(i, 2)") == [1250, -1250, 7, None, 0]
    assert str(computed(frame, out="round(i, -1)").frame("output")["out"].dtype) == "Int64"


def test_abs_floor_ceil_keep_nulls_and_whole_numbers() -> None:
    frame = values()
    assert column(frame, "abs(x)") == [2.5, 2.5, 1.234, None, 0.0]
    assert column(frame, "abs(i)") == [1250, 1250, 7, None, 0]
    assert column(frame, "floor(x)") == [2.0, -3.0, 1.0, None, 0.0]
    assert column(frame, "ceil(x)") == [3.0, -2.0, 2.0, None, 0.0]
    assert column(frame, "floor(j)") == [3, 1, 2, 5, 4]


def test_least_and_greatest_are_null_when_an_argument_is() -> None:
    frame = values()
    assert column(frame, "least(i, j)") == [3, -1250, 2, None, 0]
    assert column(frame, "greatest(i, j, 4)") == [1250, 4, 7, None, 4]
    assert column(frame, "least(x, 0)") == [0.0, -2.5, 0.0, None, 0.0]
    text = pd.DataFrame({"a": ["b", "é", None], "b": ["a", "z", "c"]})
    assert column(text, "least(a, b)") == ["a", "z", None]
    assert column(text, "greatest(a, b)") == ["b", "é", None]


def test_numbers_refuse_text_and_point_to_to_number() -> None:
    text = pd.DataFrame({"s": ["1", "2"]})
    assert "round() takes numbers, not str values: use to_number()" in failure(text, "round(s)")
    assert "'digits' must be a literal" in failure(values(), "round(x, j)")


def test_mixed_columns_use_their_numbers_and_count_the_rest() -> None:
    mixed = pd.DataFrame({"v": pd.Series([1.5, "a", None, -2, "3"], dtype=object)})
    assert column(mixed, "abs(v)") == [1.5, None, None, 2.0, 3.0]
    assert nulled(mixed, out="abs(v)") == 1
