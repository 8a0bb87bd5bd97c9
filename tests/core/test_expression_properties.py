"""Property tests of the expression language: a flow's expression is untrusted input.

For generated text (columns, literals huge and long, every Python operator, parentheses,
attributes, calls, subscripts, lambdas, comprehensions, dunder names), compiling either works
or raises ``ExpressionError`` with a message; evaluating what compiled, on a small frame that
holds hostile values too, either works or raises ``ExpressionError``; and each example stays
under 2 s and 200 MB. Escape attempts (``__class__``, ``__import__``, ``().__class__.__bases__``)
are refused when compiled, before anything runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from pypeline.expressions.expressions import Expression, ExpressionError, compile_expression

from .expression_bounds import within
from .expression_strategies import ACCEPTED, ESCAPES, EXPRESSIONS, frame

T = TypeVar("T")
SECONDS, BYTES = 2.0, 200_000_000
COMMON = settings(
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def warm() -> None:
    """Import what the first evaluation imports lazily, outside the bounds."""
    compile_expression("'%05d' % 1 + name").evaluate(frame())


def bounded(work: Callable[[], T]) -> T:
    """``work()``, failing the test if it takes 2 s or its memory peaks past 200 MB."""
    with within(SECONDS, BYTES):
        return work()


def compiled(text: str) -> Expression | None:
    """The expression, or None when refused with a message of the project's own type."""
    try:
        return bounded(lambda: compile_expression(text))
    except ExpressionError as exc:
        assert str(exc).strip()
        assert len(str(exc)) < 1000, "an error message is one readable line"
        event("compile: refused")
        return None


@settings(COMMON, max_examples=300)
@given(text=EXPRESSIONS)
def test_compiling_works_or_refuses_with_the_projects_error(warm: None, text: str) -> None:
    compiled(text)


@settings(COMMON, max_examples=400)
@given(text=st.one_of(ACCEPTED, ACCEPTED, EXPRESSIONS))
def test_evaluating_what_compiled_works_or_fails_with_the_projects_error(
    warm: None, text: str
) -> None:
    expression = compiled(text)
    if expression is None:
        return
    data = frame()
    for evaluate in (expression.evaluate, expression.mask):
        try:
            result = bounded(lambda: evaluate(data))  # noqa: B023 - called at once
        except ExpressionError as exc:
            assert str(exc).strip()
            event(f"{evaluate.__name__}: refused")
        else:
            assert len(result) == len(data)
            event(f"{evaluate.__name__}: a value per row")


@settings(COMMON, max_examples=200)
@given(template=st.sampled_from(ESCAPES), inner=EXPRESSIONS)
def test_escape_attempts_are_refused_when_compiled(warm: None, template: str, inner: str) -> None:
    text = template.format(x=inner)
    with pytest.raises(ExpressionError):
        compile_expression(text)


@pytest.mark.parametrize("template", ESCAPES)
@pytest.mark.parametrize("inner", ["age", "1", "name + 'x'", "(1, 2)"])
def test_each_escape_is_refused_for_a_clear_reason(template: str, inner: str) -> None:
    with pytest.raises(ExpressionError) as refused:
        compile_expression(template.format(x=inner))
    reasons = ("not allowed", "names starting with '__'", "invalid expression", "unknown function")
    assert any(reason in str(refused.value) for reason in reasons), str(refused.value)
