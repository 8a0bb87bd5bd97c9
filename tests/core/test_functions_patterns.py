"""Literal and regular-expression look-ups in flows: replace, regex_*, contains (both modes)."""

from __future__ import annotations

import pandas as pd
import pytest

from .function_runs import column, failure


@pytest.fixture
def prices() -> pd.DataFrame:
    return pd.DataFrame({"p": ["$1,715.0", None, "", "€ 3,2", "ß-12-ß", "😀,😀"]})


def test_replace_takes_the_old_text_literally(prices: pd.DataFrame) -> None:
    assert column(prices, "replace(p, ',', '')") == ["$1715.0", None, "", "€ 32", "ß-12-ß", "😀😀"]
    assert column(prices, "replace(p, '.', '!')")[0] == "$1,715!0"  # not "any character"
    assert column(prices, "replace(p, 'ß', 'ss')")[4] == "ss-12-ss"


def test_regex_replace_uses_groups_and_keeps_nulls(prices: pd.DataFrame) -> None:
    # the expression's texts are Python literals: a back slash is written twice
    assert column(prices, r"regex_replace(p, '[^0-9]', '')") == ["17150", None, "", "32", "12", ""]
    assert column(prices, r"regex_replace(p, '([0-9]+)', '<\\1>')")[4] == "ß-<12>-ß"
    assert column(prices, r"regex_replace(p, '(?i)SS|ß', 's')")[4] == "s-12-s"


def test_regex_extract_gives_the_first_match_or_a_group(prices: pd.DataFrame) -> None:
    assert column(prices, "regex_extract(p, '[0-9]+')") == ["1", None, None, "3", "12", None]
    frame = pd.DataFrame({"ref": ["AB-12 CD-34", "x", None, "Q-", "é-7"]})
    assert column(frame, r"regex_extract(ref, '(\\pL+)-([0-9]*)', 1)") == ["AB", None, None,
                                                                          "Q", "é"]  # fmt: skip
    assert column(frame, r"regex_extract(ref, '(\\pL+)-([0-9]*)', 2)") == ["12", None, None, "",
                                                                          "7"]  # fmt: skip
    assert column(frame, r"regex_extract(ref, '(?i)(cd)-(\\d+)', 2)")[0] == "34"
    assert column(frame, r"regex_extract(ref, '^[a-z]$')")[1] == "x"


def test_contains_startswith_endswith_are_literal_and_case_sensitive() -> None:
    frame = pd.DataFrame({"s": ["a.b", "ABC", None, "", "😀x"]})
    assert column(frame, "contains(s, '.')") == [True, False, None, False, False]
    assert column(frame, "contains(s, '')") == [True, True, None, True, True]
    assert column(frame, "startswith(s, 'A')") == [False, True, None, False, False]
    assert column(frame, "startswith(s, '😀')")[4] is True
    assert column(frame, "endswith(s, 'x')") == [False, False, None, False, True]


def test_a_test_with_a_null_is_false_in_a_filter() -> None:
    from pypeline.modules.mods.filter_mod import FilterMod
    from pypeline.testing import run_module

    frame = pd.DataFrame({"s": ["ax", None, "b"]})
    for mode in ("pandas", "dask"):
        run = run_module(FilterMod, {"condition": "contains(s, 'x')"}, {"input": frame}, mode)
        assert run.frame("output")["s"].tolist() == ["ax"]


def test_mixed_columns_are_searched_as_text() -> None:
    mixed = pd.DataFrame({"v": pd.Series([12, "a1", None, 1.5], dtype=object)})
    assert column(mixed, "contains(v, '1')") == [True, True, None, True]
    assert column(mixed, "regex_replace(v, '[0-9]', '#')") == ["##", "a#", None, "#.#"]


def test_patterns_re2_refuses_fail_with_its_reason() -> None:
    frame = pd.DataFrame({"s": ["aaa"]})
    assert "bad regular expression '('" in failure(frame, "regex_replace(s, '(', '')")
    # back references and look-arounds would need backtracking: RE2 refuses them
    assert "bad regular expression" in failure(frame, r"regex_extract(s, '(a)\\1')")
    assert "bad regular expression" in failure(frame, "regex_extract(s, 'a(?=b)')")
    assert "'pattern' must be a literal" in failure(frame, "regex_replace(s, s, '')")
    assert "group must be at most 8" in failure(frame, "regex_extract(s, 'a', 9)")
    assert "old must be non-empty text" in failure(frame, "replace(s, '', 'x')")


def test_a_hostile_pattern_runs_in_linear_time() -> None:
    frame = pd.DataFrame({"s": ["a" * 5000 + "!"] * 20})
    assert column(frame, "contains(s, 'x')") == [False] * 20
    assert column(frame, "regex_replace(s, '(a+)+$', 'x')") == ["a" * 5000 + "!"] * 20


def test_replacements_that_grow_text_are_bounded_before_they_run() -> None:
    frame = pd.DataFrame({"s": ["a" * 2000]})
    assert "text too long" in failure(frame, "replace(s, 'a', '" + "b" * 600 + "')")
    assert "text too long" in failure(frame, "regex_replace(s, 'a*', '" + "b" * 600 + "')")
    assert column(frame, "replace(s, 'a', 'bb')") == ["b" * 4000]
