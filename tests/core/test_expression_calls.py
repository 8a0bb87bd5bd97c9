"""Function calls in the expression language: nested, in both modes, checked at build, bounded.

The functions here are the test's own, passed to ``compile_expression(functions=...)``, so the
language is tested apart from the library (``test_functions_*``) and from any installed pack.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import dask.dataframe as dd
import pandas as pd
import pytest

from pypeline.expressions.expressions import (
    ExpressionError,
    UnknownColumnError,
    compile_expression,
)
from pypeline.sdk.functions import ExpressionFunction, FunctionContext

CALLED: list[str] = []


def _upper(fctx: FunctionContext, s: Any) -> Any:
    return fctx.series(s).str.upper()


def _grow(fctx: FunctionContext, s: Any, times: int) -> Any:
    CALLED.append("grow")
    return fctx.series(s) * times


def _liar(fctx: FunctionContext, s: Any) -> Any:  # promises nothing, grows text a lot
    return fctx.series(s).str.pad(2_000_000)


def _boom(fctx: FunctionContext, x: Any) -> Any:
    return 1 // 0


def _never(fctx: FunctionContext) -> Any:
    raise AssertionError("a call without arguments must not run at build time")


FUNCTIONS = {
    f.name: f
    for f in [
        ExpressionFunction("up", ("s",), _upper, "Upper case."),
        ExpressionFunction("add", ("a", "b"), lambda fctx, a, b: a + b, "a + b."),
        ExpressionFunction(
            "grow",
            ("s", "times"),
            _grow,
            "s repeated.",
            literal=("times",),
            max_length=lambda lengths, literals: (lengths[0] or 0) * literals["times"],
        ),
        ExpressionFunction("liar", ("s",), _liar, "Pads to two million characters."),
        ExpressionFunction("boom", ("x",), _boom, "Fails."),
        ExpressionFunction("clock", (), lambda fctx: fctx.now, "The run's clock."),
        ExpressionFunction("never", (), _never, "Fails when called."),
    ]
}


def compiled(text: str, run_id: str = "") -> Any:
    return compile_expression(text, functions=FUNCTIONS, run_id=run_id)


def refusal(text: str) -> str:
    with pytest.raises(ExpressionError) as info:
        compiled(text)
    return str(info.value)


@pytest.fixture
def people() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": pd.Series(["ada", "Bob", None, "cy", "ada"], dtype="string"),
            "age": [36, 17, 50, 29, 40],
        }
    )


def test_calls_nest_inside_operators_and_conditions(people: pd.DataFrame) -> None:
    condition = compiled("up(name) == 'ADA' and add(age, 1) > 37 or up(up(name)) + '!' == 'CY!'")
    assert people[condition.mask(people)].index.tolist() == [3, 4]
    value = compiled("add(age, age * 2) // 3 + add(1, 2)").evaluate(people)
    assert value.tolist() == [39, 20, 53, 32, 43]


def test_a_dask_frame_gives_the_same_rows_partition_by_partition(people: pd.DataFrame) -> None:
    condition = compiled("up(name) in ['ADA', 'CY'] and add(age, 0) >= 29")
    lazy = dd.from_pandas(people, npartitions=3)
    assert lazy[condition.mask(lazy)].compute().equals(people[condition.mask(people)])
    value = compiled("up(name) + '/' + up('x')")
    assert value.evaluate(lazy).compute().tolist() == value.evaluate(people).tolist()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "upp(name)",
            "unknown function 'upp': did you mean 'up'? (pype show-functions lists them)",
        ),
        ("eval('1')", "unknown function 'eval' (pype show-functions lists them)"),
        ("name(1)", "unknown function 'name' (pype show-functions lists them)"),
        ("add(age)", "add() takes 2 arguments, got 1: add(a, b)"),
        ("clock(age)", "clock() takes 0 arguments, got 1: clock()"),
        ("grow(name, age)", "grow(): 'times' must be a literal such as 'text' or 3, not a column"),
        ("grow(name, 1 + 1)", "grow(): 'times' must be a literal"),
        (
            "name.upper()",
            "methods are not allowed: name.upper(...); functions take the value first: "
            "upper(name, ...)",
        ),
        ("`first name`.strip()", "functions take the value first: strip(`first name`, ...)"),
        ("up(s=name)", "arguments go in order, without names or '*': up(s=name)"),
        ("up(*name)", "arguments go in order, without names or '*': up(*name)"),
        ("(lambda: 1)()", "lambda functions are not allowed: lambda: 1"),
        ("up(name)(1)", "calling anything but a function's name is not allowed: up(name)(1)"),
        ("0(1)", "calling anything but a function's name is not allowed: 0(1)"),
        ("up(__class__)", "names starting with '__' are not allowed: __class__"),
        ("up(name.x)", "attribute access is not allowed: name.x"),
    ],
)
def test_a_call_that_does_not_fit_fails_the_build_saying_why(text: str, message: str) -> None:
    assert message in refusal(text)


def test_a_bare_function_name_is_a_column(people: pd.DataFrame) -> None:
    assert compiled("clock + 1").evaluate(people.assign(clock=people.age)).tolist()[0] == 37
    with pytest.raises(UnknownColumnError) as info:
        compiled("clock > 1").mask(people)
    assert info.value.hint == "did you mean clock()?"


def test_constant_calls_are_checked_at_build_but_run_dependent_ones_are_not() -> None:
    assert "text too long" in refusal("grow('ab', 600000) == name")
    compiled("never() == clock()")  # neither is called: both depend on the run
    CALLED.clear()
    compiled("grow('ab', 3) == name")
    assert CALLED == ["grow"]


def test_calls_count_toward_the_size_limits() -> None:
    assert "too deeply nested" in refusal("up(" * 120 + "name" + ")" * 120)
    # 700 comparisons and 699 'or's are 1,399 operations: the 700 calls make it 2,099
    assert "too many operations (2,099" in refusal(" or ".join(["up(name) == 'A'"] * 700))


def test_max_length_refuses_a_huge_value_before_the_function_runs(people: pd.DataFrame) -> None:
    expression = compiled("grow(name, 400000)")
    CALLED.clear()
    with pytest.raises(ExpressionError, match=r"text too long: grow\(name, 400000\) would make a "):
        expression.evaluate(people)
    assert CALLED == []  # refused from the bound: nothing was allocated


def test_max_length_charges_the_budget_before_the_function_runs() -> None:
    many = pd.DataFrame({"name": pd.Series(["abc"] * 100_000, dtype="string")})
    CALLED.clear()
    with pytest.raises(ExpressionError, match=r"too much text: grow\(name, 9000\) \(function"):
        compiled("grow(name, 9000)").evaluate(many)
    assert CALLED == []
    skewed = many.assign(name=["x" * 5000] + ["abc"] * 99_999)  # one long value: still fine
    assert compiled("grow(name, 2)").evaluate(skewed).str.len().max() == 10_000


def test_a_result_longer_than_the_limit_is_refused_after(people: pd.DataFrame) -> None:
    with pytest.raises(ExpressionError, match=r"text too long: liar\(name\) made a value of 2,0"):
        compiled("liar(name)").evaluate(people)


def test_what_a_function_raises_becomes_an_error_naming_it(people: pd.DataFrame) -> None:
    with pytest.raises(ExpressionError) as info:
        compiled("age > 1 and boom(age) == 2").mask(people)
    assert (
        str(info.value)
        == "boom() failed on boom(age): ZeroDivisionError: integer division or modulo by zero"
    )


def test_now_is_one_instant_in_every_partition_and_expression_of_a_run(
    people: pd.DataFrame,
) -> None:
    lazy = dd.from_pandas(pd.concat([people] * 20, ignore_index=True), npartitions=7)
    first = compiled("clock()", run_id="run-1").evaluate(lazy).compute()
    later = compiled("clock()", run_id="run-1").evaluate(people)
    assert first.nunique() == 1 and set(later) == set(first)
    assert isinstance(first.iloc[0], datetime | pd.Timestamp)
