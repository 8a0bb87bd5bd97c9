"""Every operator of the expression language is bounded before it allocates (issue 10, item 12):
the run's half. A refusal that depends on the data (a long string repeated, a format template
or a huge integer read from a source, many rows of moderate values) fails the run naming the
module, in both modes, before the memory is taken; real flows stay far from the limits; and
whatever pandas raises reaches the user as the project's own error.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest

from pypeline.expressions.expressions import ExpressionError, compile_expression
from pypeline.modules.mods.compute_mod import ComputeMod
from pypeline.modules.mods.filter_mod import FilterMod
from pypeline.modules.mods.frame_errors import FrameError
from pypeline.testing import run_module

from .expression_bounds import within
from .transform_flows import error_of, run_transform


@pytest.fixture
def bounded() -> Iterator[None]:
    """Fail the test if the code under it takes 2 s or more, or 50 MB."""
    with within(2.0, 50_000_000):
        yield


@pytest.fixture
def hostile() -> pd.DataFrame:
    """Data that turns harmless-looking expressions into bombs."""
    return pd.DataFrame(
        {
            "name": ["Ada", "Bob"],
            "times": [3, 100_000_000],
            "fmt": pd.Series(["%05d", "%0300000000d"], dtype=object),
            "big": pd.Series([3, 2**4000], dtype=object),
            "items": pd.Series([[1, 2], [3]], dtype=object),
            "raw": pd.Series([b"ab", b"cd"], dtype=object),
        }
    )


DATA_BOMBS = [
    ("name * 100000000", "text too long: name * 100000000 would make a value of 300,000,000"),
    ("100000000 * name", "text too long: 100000000 * name would make a value of 300,000,000"),
    ("name * times", "text too long: name * times would make a value of 300,000,000"),
    ("items * 10 ** 7", "text too long: items * 10000000 would make a value of 20,000,000"),
    ("raw * 10 ** 7", "text too long: raw * 10000000 would make a value of 20,000,000"),
    ("big ** 3", "number too large: big ** 3 would have 12,003 bits (operator '**'"),
    ("big * big", "number too large: big * big would have 8,001 bits (operator '*'"),
    ("big ** 2 ** 20", "number too large: big ** 1048576 would have"),
    ("'%s' % name", "'%' formatting needs a constant after '%', not a column: '%s' % name"),
]


@pytest.mark.parametrize(("text", "message"), DATA_BOMBS, ids=[b[0] for b in DATA_BOMBS])
def test_data_bombs_fail_the_run_naming_the_module(
    hostile: pd.DataFrame, text: str, message: str, bounded: None
) -> None:
    with pytest.raises(FrameError) as failed:
        run_module(ComputeMod, {"expressions": {"x": text}}, {"input": hostile}, module_id="f")
    assert str(failed.value).startswith(f"f (compute_mod): expressions: x: {message}")
    with pytest.raises(ExpressionError) as refused:
        run_module(FilterMod, {"condition": f"{text} == 'x'"}, {"input": hostile}, module_id="f")
    assert str(refused.value).startswith(f"filter_mod: {message}")


def test_a_format_template_from_the_data_is_bounded(hostile: pd.DataFrame, bounded: None) -> None:
    with pytest.raises(ExpressionError, match=r"fmt % 7 would make a value of 300,000,012 char"):
        compile_expression("fmt % 7").evaluate(hostile)
    assert compile_expression("fmt % 7").evaluate(hostile.iloc[:1]).tolist() == ["00007"]


@pytest.mark.parametrize("mode", ["pandas", "dask"])
def test_a_whole_flow_fails_naming_the_module(pypeline_flow: Any, mode: str) -> None:
    expressions = {"required": {"expressions": {"y": "name * 100000000"}}}
    run = run_transform(
        pypeline_flow, "compute_mod", expressions, {"input": [{"name": "Ada"}]}, mode=mode
    )
    assert run.exit_code == 1
    failed = [e for e in run.of("module_end") if e["status"] == "failed"]
    # Dask computes lazily, in the node that reads the column: the error still names compute_mod
    assert str(failed[0]["error"]).startswith(
        "t (compute_mod): expressions: y: text too long: name * 100000000 would make a value"
    )
    condition = {"required": {"condition": "name * 100000000 == 'x'"}}
    run = run_transform(
        pypeline_flow, "filter_mod", condition, {"input": [{"name": "Ada"}]}, mode=mode
    )
    assert run.exit_code == 1
    assert "filter_mod: " in error_of(run) and "text too long: name * 100000000" in error_of(run)


@pytest.mark.parametrize("mode", ["pandas", "dask"])
def test_many_rows_of_moderate_values_exhaust_the_budget(mode: str) -> None:
    frame = pd.DataFrame({"name": ["Ada", "Bob", "Cy"] * 1000})
    with pytest.raises((FrameError, ExpressionError)) as failed:  # Dask: when computed
        run_module(
            ComputeMod,
            {"expressions": {"x": "name * 300000"}},
            {"input": frame},
            mode=mode,
            module_id="f",
        )
    assert "too much text: name * 300000 (operator '*') would bring what this expression" in str(
        failed.value
    )
    with pytest.raises((FrameError, ExpressionError), match=r"'x' \* 100000 on every row"):
        run_module(
            ComputeMod,
            {"expressions": {"x": "'x' * 100000"}},
            {"input": frame},
            mode=mode,
            module_id="f",
        )


@pytest.mark.parametrize("mode", ["pandas", "dask"])
def test_real_flows_stay_far_from_the_limits(mode: str) -> None:
    n = 100_000
    frame = pd.DataFrame(
        {"first": ["Ada", "Grace"] * (n // 2), "last": ["Lovelace", "Hopper"] * (n // 2)}
    )
    frame["code"] = range(n)
    expressions = {
        "full": "first + ' ' + last + ', ' + first + ' ' + last",
        "banner": "'=' * 40 + first",
        "twice": "last * 2",
        "power": "2 ** 4095 > 0",
        "one": "1 ** 1000000000 == 1",
        "padded": "'%08d' % 42 + first",
        "big": "code * 1000 + 10 ** 15 > 0",
    }
    out = run_module(ComputeMod, {"expressions": expressions}, {"input": frame}, mode=mode)
    row = out.frame("output").iloc[1]
    assert row["full"] == "Grace Hopper, Grace Hopper"
    assert row["banner"] == "=" * 40 + "Grace"
    assert row["twice"] == "HopperHopper"
    assert (row["power"], row["one"], row["big"]) == (True, True, True)
    assert row["padded"] == "00000042Grace"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("items % 3", "cannot evaluate 'items % 3'"),
        ("fmt % items", "'%' formats one value (text, a number or null), not a list"),
        ("name + times", "cannot evaluate 'name + times'"),
        ("items - 1", "cannot evaluate 'items - 1'"),
        ("raw % name", "cannot evaluate 'raw % name'"),
    ],
)
def test_whatever_pandas_raises_becomes_the_projects_error(
    hostile: pd.DataFrame, text: str, message: str
) -> None:
    with pytest.raises(ExpressionError) as failed:
        compile_expression(text).evaluate(hostile.iloc[:1])
    assert message in str(failed.value)


def test_a_column_name_held_twice_is_refused_not_expanded() -> None:
    frame = pd.DataFrame([["a", "b"]], columns=["name", "name"])
    with pytest.raises(ExpressionError, match="column 'name' is ambiguous"):
        compile_expression("name * 100000000").evaluate(frame)
