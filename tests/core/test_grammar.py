"""The connection grammar of what parses, into what, and what is refused, in which words."""

from __future__ import annotations

import re

import pytest

from pypeline.build.plan.grammar import (
    GrammarError,
    RawControl,
    parse_control,
    parse_data,
)
from pypeline.shared.templates import strip_braces


def test_data_connection_parses_into_ids_and_ports() -> None:
    assert parse_data("source_csv.data - transform_data.input") == (
        "source_csv",
        "data",
        "transform_data",
        "input",
    )
    assert parse_data("  a.out-b.in  ") == ("a", "out", "b", "in")


@pytest.mark.parametrize("text", ["a.data b.input", "a - b.input", "a.data - b", "a.b.c - d.e"])
def test_bad_data_connection_names_the_expected_form(text: str) -> None:
    expected = re.escape("expected '<id>.<out_port> - <id>.<in_port>'")
    with pytest.raises(GrammarError, match=expected):
        parse_data(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a (1|) b", RawControl("a", "b", 1, None, "normal", 1)),
        ("a (12|) b", RawControl("a", "b", 12, None, "normal", 1)),
        ("a (Last|) b", RawControl("a", "b", "Last", None, "normal", 1)),
        ("a (last|) b", RawControl("a", "b", "Last", None, "normal", 1)),
        ("a (2|x > 1) iterate b", RawControl("a", "b", 2, "x > 1", "iterate", 1)),
        ("a (2|) [start] b", RawControl("a", "b", 2, None, "start", 1)),
        ("a (1|) ERROR b", RawControl("a", "b", 1, None, "error", 1)),
        ("a (1) b", RawControl("a", "b", 1, None, "normal", 1)),
        (
            "a (1|{{ a__row_count }} > (3)) b",
            RawControl("a", "b", 1, "{{ a__row_count }} > (3)", "normal", 1),
        ),
        ("a (1|name == 'x)y') b", RawControl("a", "b", 1, "name == 'x)y'", "normal", 1)),
    ],
)
def test_control_string_form(text: str, expected: RawControl) -> None:
    assert parse_control(text) == expected


def test_control_mapping_form_with_defaults_and_parallel() -> None:
    assert parse_control({"from": "a", "to": "b"}) == RawControl("a", "b", 1, None, "normal", 1)
    edge = parse_control(
        {
            "from": "a",
            "to": "b",
            "order": "Last",
            "type": "iterate",
            "parallel": 4,
            "condition": "x",
        }
    )
    assert edge == RawControl("a", "b", "Last", "x", "iterate", 4)


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("a (0|) b", "order 0 is reserved for data connections"),
        ({"from": "a", "to": "b", "order": 0}, "order 0 is reserved for data connections"),
        ("a (-2|) b", "order must be an integer ≥ 1 or 'Last', not -2"),
        ("a (first|) b", "order must be an integer ≥ 1 or 'Last', not 'first'"),
        ("a (1|) loop b", "unknown control type 'loop'"),
        ("a (1| b", "unclosed '(' in the valve"),
        ("a 1 b", "expected '<src> (<order>|<condition>) [<type>] <dst>'"),
        ("a (1|) b c d", "expected '<src> (<order>|<condition>) [<type>] <dst>'"),
        ({"from": "a", "to": "b", "parallel": 0}, "parallel must be an integer ≥ 1"),
    ],
)
def test_bad_control_connections(item: object, message: str) -> None:
    with pytest.raises(GrammarError, match=re.escape(message)):
        parse_control(item)


@pytest.mark.parametrize(
    ("condition", "expression"),
    [
        ("x > 1", "x > 1"),
        ("{{ x > 1 }}", "x > 1"),
        ("{{ a__row_count }} > 3", "(a__row_count) > 3"),
        ("{{ a }} == {{ b }}", "(a) == (b)"),
    ],
)
def test_condition_braces_are_optional(condition: str, expression: str) -> None:
    assert strip_braces(condition) == expression
