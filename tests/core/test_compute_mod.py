"""compute_mod: new columns equal to the same arithmetic in pandas; injection refused at build."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from pypeline.modules.mods.compute_mod import ComputeMod
from pypeline.modules.mods.frame_errors import FrameError
from pypeline.run.execution.config_check import ConfigError
from pypeline.testing import rows, run_module

from .transform_flows import error_of, problem_lines, run_transform, validate_configs

MODES = ["pandas", "dask"]


@pytest.fixture
def lines() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    return pd.DataFrame(
        {
            "price": rng.uniform(1, 100, 30).round(2),
            "quantity": rng.integers(1, 20, 30),
            "country": rng.choice(["FR", "DE", "US"], 30),
        }
    )


@pytest.mark.parametrize("mode", MODES)
def test_expressions_run_in_order_like_pandas(lines: pd.DataFrame, mode: str) -> None:
    expressions = {
        "total": "price * quantity",
        "total_vat": "total * 1.2",
        "big_eu": "total_vat >= 500 and country in ['FR', 'DE']",
        "quantity": "quantity + 1",  # replaces the column, after `total` used the old value
    }
    run = run_module(ComputeMod, {"expressions": expressions}, {"input": lines}, mode=mode)

    expected = lines.assign(total=lines.price * lines.quantity)
    expected = expected.assign(total_vat=expected.total * 1.2)
    expected = expected.assign(
        big_eu=(expected.total_vat >= 500) & expected.country.isin(["FR", "DE"]),
        quantity=expected.quantity + 1,
    )
    out = run.frame("output")
    assert list(out.columns) == ["price", "quantity", "country", "total", "total_vat", "big_eu"]
    assert rows(out) == rows(expected)


@pytest.mark.parametrize("mode", MODES)
def test_nulls_propagate_through_arithmetic_and_compare_false(mode: str) -> None:
    frame = pd.DataFrame({"a": [1.0, None, 3.0], "b": [2, 2, 2]})
    expressions = {"sum": "a + b", "big": "a > 1", "missing": "a is None", "const": "7"}
    run = run_module(ComputeMod, {"expressions": expressions}, {"input": frame}, mode=mode)

    out = run.frame("output")
    assert rows(out[["sum", "big", "missing", "const"]]) == [
        (3.0, False, False, 7),
        (None, False, True, 7),
        (5.0, True, False, 7),
    ]


@pytest.mark.parametrize("mode", MODES)
def test_unknown_column_names_the_expression_and_suggests(lines: pd.DataFrame, mode: str) -> None:
    with pytest.raises(FrameError) as failed:
        run_module(
            ComputeMod,
            {"expressions": {"t": "prise * 2"}},
            {"input": lines},
            mode=mode,
            module_id="f",
        )
    assert str(failed.value) == (
        "f (compute_mod): expressions: t: unknown column 'prise' "
        "(columns: price, quantity, country); did you mean 'price'?"
    )


@pytest.mark.parametrize("mode", MODES)
def test_type_mismatch_is_reported_with_the_expression(lines: pd.DataFrame, mode: str) -> None:
    with pytest.raises(FrameError, match=r"expressions: x: cannot evaluate 'country \+ 1'"):
        run_module(ComputeMod, {"expressions": {"x": "country + 1"}}, {"input": lines}, mode=mode)


def test_a_templated_expression_is_checked_when_rendered(lines: pd.DataFrame) -> None:
    with pytest.raises(ConfigError, match="expressions: x: unknown function 'open'"):
        run_module(ComputeMod, {"expressions": {"x": "open('/etc/passwd')"}}, {"input": lines})


def test_a_run_error_names_the_node(pypeline_flow: Any) -> None:
    configs = {"required": {"expressions": {"y": "x + z"}}}
    run = run_transform(pypeline_flow, "compute_mod", configs, {"input": [{"x": 1}]}, mode="dask")
    assert run.exit_code == 1
    assert error_of(run) == "t (compute_mod): expressions: y: unknown column 'z' (columns: x)"


def test_injection_attempts_fail_the_build(pype: Any, tmp_path: Path) -> None:
    attempts = {
        "imports": "__import__('os').system('touch pwned')",
        "attribute": "price.__class__.__bases__",
        "call": "open('/etc/passwd')",
        "dunder": "__builtins__",
        "lambda": "(lambda: 1)()",
        "comprehension": "[c for c in price]",
        "subscript": "price[0]",
    }
    configs = {name: {"required": {"expressions": {"x": text}}} for name, text in attempts.items()}
    result = validate_configs(pype, tmp_path, "compute_mod", configs)

    assert result.code == 2
    assert problem_lines(result) == [
        "module 'imports' (compute_mod): expressions: x: names starting with '__' are not "
        "allowed: __import__",
        "module 'attribute' (compute_mod): expressions: x: attribute access is not allowed: "
        "price.__class__.__bases__",
        "module 'call' (compute_mod): expressions: x: unknown function 'open' "
        "(pype show-functions lists them)",
        "module 'dunder' (compute_mod): expressions: x: names starting with '__' are not "
        "allowed: __builtins__",
        "module 'lambda' (compute_mod): expressions: x: lambda functions are not allowed: "
        "lambda: 1",
        "module 'comprehension' (compute_mod): expressions: x: list comprehensions are not "
        "allowed: [c for c in price]",
        "module 'subscript' (compute_mod): expressions: x: subscripts are not allowed: price[0]",
    ]
    assert not (tmp_path / "pwned").exists()


def test_other_bad_configs_fail_the_build(pype: Any, tmp_path: Path) -> None:
    configs = {
        "syntax": {"required": {"expressions": {"x": "price >"}}},
        "not_text": {"required": {"expressions": {"x": 3}}},
        "not_mapping": {"required": {"expressions": ["price * 2"]}},
    }
    result = validate_configs(pype, tmp_path, "compute_mod", configs)
    assert result.code == 2
    lines = problem_lines(result)
    assert lines[0].startswith("module 'syntax' (compute_mod): expressions: x: invalid expression")
    assert lines[1:] == [
        "module 'not_text' (compute_mod): expressions: x: must be an expression in text, not 3",
        "module 'not_mapping' (compute_mod): expressions must be dict, got list ['price * 2']",
    ]
