"""YAML scalars that PyYAML's resolver matches but its constructors cannot build.

``2024-13-45`` looks like a date, ``!!int abc`` says it is an int: PyYAML raised plain
``ValueError``, ``KeyError``, ``AttributeError`` or ``IndexError`` for them, which escaped the
loader as ``error: ValueError: ...``, exit 1. Each is a located problem now, and a base-60
integer (``1:2:3:...``, quadratic to build) is refused past 1,000 characters.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from pypeline.shared.errors import FlowError

LoadProblems = Callable[[str], list[FlowError]]
HEAD = (
    "flow: {name: scalars}\nmodules:\n  - {id: p, name: probe, configs: {required: {ratio: 1}}}\n"
)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2024-13-45", "cannot read '2024-13-45' as timestamp: month must be in 1..12"),
        ("2024-02-30", "cannot read '2024-02-30' as timestamp: day is out of range for month"),
        ("2001-12-14t21:59:43.10-99:00", "cannot read '2001-12-14t21:59:43.10-99:00' as timestamp"),
        ("!!timestamp nope", "cannot read 'nope' as timestamp"),
        ("!!int abc", "cannot read 'abc' as int: invalid literal for int()"),
        ("!!int 0x", "cannot read '0x' as int"),
        ("!!int ''", "cannot read '' as int"),
        ("!!float x", "cannot read 'x' as float: could not convert string to float"),
        ("!!bool maybe", "cannot read 'maybe' as bool"),
        ("9" * 5000, "cannot read '9999999999999999999999999999999999999...' as int"),
        ("1" + ":1" * 20_000, "as int: a number longer than 1000 characters"),
    ],
    ids=[
        "month",
        "day",
        "offset",
        "tagged-timestamp",
        "tagged-int",
        "hex",
        "empty-int",
        "tagged-float",
        "tagged-bool",
        "5000-digits",
        "base-60",
    ],
)
def test_an_unbuildable_scalar_is_a_located_problem(
    load_problems: LoadProblems, value: str, message: str
) -> None:
    start = time.perf_counter()
    texts = [f"context: {{default: {{x: {value}}}}}\n"]
    # As a key too; but a plain key is at most 1024 characters, and keys are words, not
    # booleans (``on:``, so ``!!bool maybe:`` is the word "maybe").
    if len(value) < 1024 and "bool" not in value:
        texts.append(f"context:\n  default:\n    {value}: 1\n")
    for text in texts:
        [problem] = load_problems(HEAD + text)
        assert problem.message.startswith("bad YAML: cannot read "), problem.render()
        assert message in problem.message, problem.render()
        assert problem.line in (4, 6) and problem.col > 1, problem.render()
    assert time.perf_counter() - start < 10
