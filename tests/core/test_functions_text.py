"""Text functions in flows: case, spaces, lengths, pieces, joining, padding (both modes)."""

from __future__ import annotations

import pandas as pd
import pytest

from .function_runs import column, computed, failure

WORDS = ["  Straße ", None, "", "İstanbul", "e\u0301cole", "😀 ok", "ab"]


@pytest.fixture
def words() -> pd.DataFrame:
    return pd.DataFrame({"s": pd.Series(WORDS, dtype="str"), "n": [1, 2, None, 4, 5, 6, 7]})


def test_case_follows_unicode_one_character_at_a_time(words: pd.DataFrame) -> None:
    assert column(words, "lower(s)") == ["  straße ", None, "", "istanbul", "e\u0301cole",
                                         "😀 ok", "ab"]  # fmt: skip
    assert column(words, "upper(s)")[0] == "  STRAẞE "
    assert column(words, "upper(s)")[4] == "E\u0301COLE"
    long = pd.DataFrame({"s": ["ΐß" * 300_000]})  # Python's upper() would make 1.5M characters
    assert column(long, "length(upper(s))") == [600_000]


def test_strips_remove_white_space_only_where_asked(words: pd.DataFrame) -> None:
    frame = pd.DataFrame({"s": ["\u00a0 a b\t", None, ""]})
    assert column(frame, "strip(s)") == ["a b", None, ""]
    assert column(frame, "lstrip(s)") == ["a b\t", None, ""]
    assert column(frame, "rstrip(s)") == ["\u00a0 a b", None, ""]
    assert column(words, "lower(strip(s))")[0] == "straße"


def test_length_counts_code_points_and_keeps_nulls(words: pd.DataFrame) -> None:
    assert column(words, "length(s)") == [9, None, 0, 8, 6, 4, 2]
    out = computed(words, out="length(s)").frame("output")["out"]
    assert str(out.dtype) == "Int64"


def test_substr_is_one_based_as_in_sql(words: pd.DataFrame) -> None:
    assert column(words, "substr(s, 3, 3)") == ["Str", None, "", "tan", "col", "ok", ""]
    assert column(words, "substr(s, 2)")[3] == "stanbul"  # İ is one character
    assert column(words, "substr(s, 0, 2)")[6] == "a"  # position 0 counts, as in SQL
    assert column(words, "substr(s, -5, 2)")[6] == ""


def test_concat_joins_nulls_as_empty_text_and_numbers_as_their_text(words: pd.DataFrame) -> None:
    frame = pd.DataFrame({"a": ["x", None, "ß"], "b": [1, 2, 3]})
    assert column(frame, "concat(a, '-', b, '😀')") == ["x-1😀", "-2😀", "ß-3😀"]
    assert column(frame, "concat(a, a)") == ["xx", "", "ßß"]


def test_split_part_is_one_based_and_empty_past_the_last_piece() -> None:
    frame = pd.DataFrame({"s": ["a@b.fr", "no-at", None, "", "x@@y"]})
    assert column(frame, "split_part(s, '@', 1)") == ["a", "no-at", None, "", "x"]
    assert column(frame, "split_part(s, '@', 2)") == ["b.fr", "", None, "", ""]
    assert column(frame, "split_part(s, '@', 3)") == ["", "", None, "", "y"]
    signs = pd.DataFrame({"s": ["é→ß→😀", "→"]})
    assert column(signs, "split_part(s, '→', 3)") == ["😀", ""]


def test_pad_left_fills_to_the_width_and_keeps_longer_text() -> None:
    frame = pd.DataFrame({"s": ["7", "12345", None, "", "é"]})
    assert column(frame, "pad_left(s, 3, '0')") == ["007", "12345", None, "000", "00é"]
    assert column(frame, "pad_left(s, 3)")[0] == "  7"
    ids = pd.DataFrame({"id": [7, 42]})
    assert column(ids, "pad_left(to_str(id), 4, '0')") == ["0007", "0042"]


def test_text_functions_read_mixed_columns_as_text() -> None:
    mixed = pd.DataFrame({"v": pd.Series([1, "Ab", None, 2.5, True], dtype=object)})
    assert column(mixed, "lower(v)") == ["1", "ab", None, "2.5", "true"]
    assert column(mixed, "length(v)") == [1, 2, None, 3, 4]
    numbers = pd.DataFrame({"v": [10, 200]})
    assert column(numbers, "length(v)") == [2, 3]


def test_bad_literals_are_refused_with_the_reason() -> None:
    frame = pd.DataFrame({"s": ["a"]})
    assert "n must be a whole number of at least 1" in failure(frame, "split_part(s, ',', 0)")
    assert "sep must be non-empty text" in failure(frame, "split_part(s, '', 1)")
    assert "fill must be one character" in failure(frame, "pad_left(s, 3, 'ab')")
    assert "length must be a whole number of at least 0" in failure(frame, "substr(s, 1, -1)")
    assert "'start' must be a literal" in failure(frame, "substr(s, s, 1)")


def test_growing_text_is_bounded_before_it_is_made() -> None:
    frame = pd.DataFrame({"s": ["a"]})
    assert "text too long" in failure(frame, "pad_left(s, 2000000, '0')")
