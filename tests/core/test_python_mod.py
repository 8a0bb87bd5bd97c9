"""python_mod: the user's function gives the same rows as calling it directly on the frame."""

from __future__ import annotations

import itertools
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pypeline.modules.mods.frame_errors import FrameError
from pypeline.modules.mods.python_mod import PythonMod
from pypeline.testing import rows, run_module

from .transform_flows import error_of, problem_lines, run_transform, validate_configs

MODES = ["pandas", "dask"]
CODE = """
import pandas as pd

def titles(df, suffix=""):
    return df.assign(name=df["name"].str.title() + suffix)

def tagged(df, ctx, tag="seen"):
    ctx.logger.info("%s rows in this call", len(df))
    return df.assign(tag=tag, node=ctx.node_id)

def not_a_frame(df):
    return df["name"].tolist()

def broken(df):
    raise KeyError("no such thing")

LIMIT = 3
"""
_names = itertools.count()


@pytest.fixture
def module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh user module beside the flow, in the working directory (not installed)."""
    name = f"user_code_{next(_names)}"
    (tmp_path / f"{name}.py").write_text(textwrap.dedent(CODE), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    yield name
    sys.modules.pop(name, None)


@pytest.fixture
def people() -> pd.DataFrame:
    return pd.DataFrame({"name": ["ada lovelace", "alan turing", "grace hopper"], "id": [1, 2, 3]})


@pytest.mark.parametrize("mode", MODES)
def test_output_is_the_function_applied_directly(
    people: pd.DataFrame, module: str, mode: str
) -> None:
    config = {"function": f"{module}:titles", "args": {"suffix": "!"}}
    run = run_module(PythonMod, config, {"input": people}, mode=mode)

    expected = people.assign(name=people["name"].str.title() + "!")
    assert rows(run.frame("output")) == rows(expected)
    assert run.frame("output")["name"].tolist()[0] == "Ada Lovelace!"


@pytest.mark.parametrize("mode", MODES)
def test_a_ctx_parameter_gets_the_run_context(people: pd.DataFrame, module: str, mode: str) -> None:
    run = run_module(
        PythonMod, {"function": f"{module}:tagged"}, {"input": people}, mode=mode, module_id="f"
    )

    out = run.frame("output")
    assert set(out["tag"]) == {"seen"} and set(out["node"]) == {"f"}
    # pandas: one call; dask: once on an empty frame, then once per partition (two here)
    calls = ["3"] if mode == "pandas" else ["0", "1", "2"]
    assert sorted(run.logs) == [f"{n} rows in this call" for n in calls]


@pytest.mark.parametrize("mode", MODES)
def test_a_result_that_is_not_a_frame_names_the_node(
    people: pd.DataFrame, module: str, mode: str
) -> None:
    with pytest.raises(FrameError, match=rf"f \(python_mod\): {module}:not_a_frame returned list"):
        run_module(
            PythonMod,
            {"function": f"{module}:not_a_frame"},
            {"input": people},
            mode=mode,
            module_id="f",
        )


def test_the_function_error_is_reported_with_its_type(pypeline_flow: Any, module: str) -> None:
    configs = {"required": {"function": f"{module}:broken"}}
    run = run_transform(pypeline_flow, "python_mod", configs, {"input": [{"id": 1}]})
    assert run.exit_code == 1
    assert error_of(run) == f"t (python_mod): {module}:broken raised KeyError: 'no such thing'"


def test_bad_functions_fail_the_build_naming_the_key(
    pype: Any, tmp_path: Path, module: str
) -> None:
    result = validate_configs(
        pype,
        tmp_path,
        "python_mod",
        {
            "no_module": {"required": {"function": "not_there_at_all:fix"}},
            "no_function": {"required": {"function": f"{module}:fix"}},
            "shape": {"required": {"function": f"{module}.titles"}},
            "constant": {"required": {"function": f"{module}:LIMIT"}},
            "args": {
                "required": {"function": f"{module}:titles"},
                "optional": {"args": {"sufix": 1}},
            },
        },
    )
    assert result.code == 2
    assert problem_lines(result) == [
        "module 'no_module' (python_mod): function: cannot import not_there_at_all: "
        "No module named 'not_there_at_all'",
        f"module 'no_function' (python_mod): function: {module} has no 'fix'",
        f"module 'shape' (python_mod): function: must be module:function, e.g. "
        f"my_etl.cleaning:fix_names, not '{module}.titles'",
        f"module 'constant' (python_mod): function: {module}:LIMIT is not a function "
        "(it is of type int)",
        f"module 'args' (python_mod): args: {module}:titles does not take these args: "
        "got an unexpected keyword argument 'sufix'",
    ]


def test_a_good_function_validates(pype: Any, tmp_path: Path, module: str) -> None:
    configs = {
        "ok": {"required": {"function": f"{module}:titles"}, "optional": {"args": {"suffix": "."}}}
    }
    result = validate_configs(pype, tmp_path, "python_mod", configs)
    assert result.code == 2  # the node's input is unconnected: the plan phase, not the config
    assert problem_lines(result) == ["input port 'ok.input' has no data connection"]
