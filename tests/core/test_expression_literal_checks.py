"""A literal argument a function cannot take (a pattern RE2 refuses, a width or piece number out
of range, a fill of two characters, a format that is not text) fails ``pype validate`` with the
option's file:line:col and the function's signature, not the run; the same call with a good
literal validates, and a literal built at run time is left to the run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pypeline.expressions.errors import ExpressionError
from pypeline.expressions.expressions import compile_expression

BAD = [
    ("regex_replace(name, '(a', '')", "regex_replace(): bad regular expression '(a'"),
    ("regex_extract(name, '(?<=a)b', 1)", "regex_extract(): bad regular expression"),
    ("regex_extract(name, 'a(b)', 9)", "regex_extract(): group must be at most 8, not 9"),
    ("split_part(email, '@', 0)", "split_part(): n must be a whole number of at least 1, not 0"),
    ("split_part(email, '', 1)", "split_part(): sep must be non-empty text, not ''"),
    ("pad_left(code, 6, 'ab')", "pad_left(): fill must be one character, not 'ab'"),
    ("pad_left(code, -1)", "pad_left(): width must be a whole number of at least 0, not -1"),
    ("substr(code, 1, -2)", "substr(): length must be a whole number of at least 0, not -2"),
    ("replace(name, '', 'x')", "replace(): old must be non-empty text, not ''"),
    ("contains(name, 3)", "contains(): sub must be text, not 3"),
    ("round(price, 1.5)", "round(): digits must be a whole number of at least -18, not 1.5"),
    ("to_date(day, 5)", "to_date(): format must be text such as '%d/%m/%Y', not 5"),
]
GOOD = [
    "regex_replace(name, '(a+)b', '\\\\1')",
    "regex_extract(name, 'a(b)', 1)",
    "split_part(email, '@', 2)",
    "pad_left(code, 6, '0')",
    "substr(code, -1, 2)",
    "round(price, -2)",
    "to_date(day, '%d/%m/%Y')",
    "to_datetime(day, null)",
]


@pytest.mark.parametrize(("text", "said"), BAD)
def test_a_bad_literal_is_a_build_error_naming_the_function(text: str, said: str) -> None:
    with pytest.raises(ExpressionError) as info:
        compile_expression(text)
    message = str(info.value)
    assert message.startswith(said), message
    assert message.endswith(")") and "\n" not in message  # ...: <the signature>


@pytest.mark.parametrize("text", GOOD)
def test_good_literals_compile(text: str) -> None:
    assert compile_expression(text).text == text


def test_pype_validate_locates_a_bad_literal(pype: Any, tmp_path: Path) -> None:
    (tmp_path / "flow.yaml").write_text(
        "flow: {name: lits}\n"
        "modules:\n"
        "  - id: tidy\n"
        "    name: compute_mod\n"
        "    configs:\n"
        "      required:\n"
        "        expressions:\n"
        "          part: \"split_part(email, '@', 0)\"\n",
        encoding="utf-8",
    )
    result = pype("validate", "flow.yaml")
    assert result.code == 2, result.output
    first = result.err.splitlines()[0]
    assert first.startswith("flow.yaml:7:9: module 'tidy' (compute_mod): "), first
    assert "expressions: part: split_part(): n must be a whole number of at least 1, not 0" in first
    assert not (tmp_path / "jobs").exists()
