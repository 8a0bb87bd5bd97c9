"""Every operator of the expression language is bounded before it allocates (issue 10, item 12):
the build's half. A refused constant fails the build (``check_config``, ``pype validate``: exit
2, one located line each), naming the operator and the limit, at no cost in time or memory; so
do oversized text, literals and nesting. ``test_expression_run_limits`` has the data's half.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pypeline.expressions.expressions import ExpressionError, compile_expression
from pypeline.modules.mods.compute_mod import ComputeMod
from pypeline.modules.mods.filter_mod import FilterMod

from .expression_bounds import within
from .transform_flows import problem_lines, validate_configs

TEXT_LIMIT = "limit 1,000,000 per value"
BITS_LIMIT = "limit 4,096 bits"
# (expression, the operator and the start of the message): constants the build must refuse
CONSTANT_BOMBS = [
    ("'%0300000000d' % 1", "'%'", "text too long"),
    ("'%.300000000f' % 1.5 == name", "'%'", "text too long"),
    ("'%-300000000s' % 'x' == name", "'%'", "text too long"),
    ("name == 'ab' * 100000000", "'*'", "text too long"),
    ("100000000 * 'ab' == name", "'*'", "text too long"),
    ("('%s!' % 'x') * 10 ** 7 == name", "'*'", "text too long"),
    ("'x' * 600000 + 'y' * 600000 == name", "'+'", "text too long"),
    ("9 ** 9 ** 9 > age", "'**'", "number too large"),
    ("2 ** 5000 > age", "'**'", "number too large"),
    ("(2 ** 4000) * (2 ** 4000) > age", "'*'", "number too large"),
    ("-(2 ** 4000 * 2 ** 100) < age", "'*'", "number too large"),
]


@pytest.fixture
def bounded() -> Iterator[None]:
    """Fail the test if the code under it takes 2 s or more, or 50 MB."""
    with within(2.0, 50_000_000):
        yield


@pytest.mark.parametrize(("text", "operator", "kind"), CONSTANT_BOMBS)
def test_constant_bombs_fail_check_config(
    text: str, operator: str, kind: str, bounded: None
) -> None:
    [(key, message)] = FilterMod.check_config({"condition": text})
    assert key == "condition"
    assert message.startswith(kind)
    assert f"(operator {operator}, limit " in message
    assert TEXT_LIMIT in message or BITS_LIMIT in message
    [(key, message)] = ComputeMod.check_config({"expressions": {"x": text}})
    assert (key, message.split(": ")[1]) == ("expressions", kind)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0x" + "f" * 2000 + " > age", "number too large: an integer literal of 8,000 bits"),
        ("age" + " + age" * 150, "expression is too deeply nested (limit 100 levels)"),
        ("not " * 300 + "active", "expression is too deeply nested (limit 100 levels)"),
        ("-" * 5000 + "age", "expression is too deeply nested (limit 100 levels)"),
        ("age > " + "1" * 5000, "Exceeds the limit (4300 digits)"),
        ("name == '" + "x" * 100_001 + "'", "expression is too long (100,011 characters"),
        (
            " or ".join(["age > 1"] * 1500),
            "expression has too many operations (2,999, limit 2,000)",
        ),
        ("age in [1, 0x" + "f" * 1100 + "]", "number too large: an integer literal of 4,400 bits"),
        ("'%(a)s' % 1 == name", "cannot evaluate \"'%(a)s' % 1 == name\": format requires"),
        ("1 / 0 > age", "cannot evaluate '1 / 0 > age': division by zero"),
    ],
)
def test_oversized_text_and_literals_are_refused_when_compiled(
    text: str, message: str, bounded: None
) -> None:
    with pytest.raises(ExpressionError) as refused:
        compile_expression(text)
    assert message in str(refused.value)
    assert len(str(refused.value)) < 400  # one readable line, not the 100,000 characters


def test_validate_reports_each_bomb_on_its_own_line(pype: Any, tmp_path: Path) -> None:
    configs = {
        f"bomb{i}": {"required": {"condition": text}}
        for i, (text, _, _) in enumerate(CONSTANT_BOMBS)
    }
    result = validate_configs(pype, tmp_path, "filter_mod", configs)
    assert result.code == 2
    lines = problem_lines(result)
    assert len(lines) == len(CONSTANT_BOMBS)
    for line, (_, operator, kind) in zip(lines, CONSTANT_BOMBS, strict=True):
        assert line.split(": ", 1)[1].startswith(f"condition: {kind}")
        assert f"operator {operator}" in line


@pytest.mark.parametrize(
    "text",
    [
        "_col" + "_" * 99_000 + " > 1",  # the placeholder prefix must not grow one by one
        " + ".join(f"`c{i}`" for i in range(9000)),  # many back ticked names
        " or ".join(f"`c{i}` > 1" for i in range(1000)),  # at the operations limit
        "age in [" + ", ".join(str(i) for i in range(20_000)) + "]",
        "name == '" + "\\'" * 40_000 + "'",
    ],
)
def test_pathological_texts_compile_or_fail_in_linear_time(text: str) -> None:
    started = time.monotonic()  # no tracemalloc here: it would slow the parser tenfold
    try:
        compile_expression(text)
    except ExpressionError as exc:
        assert len(str(exc)) < 400
    assert time.monotonic() - started < 1.5
