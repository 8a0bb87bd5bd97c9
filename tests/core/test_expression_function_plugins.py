"""Packs add functions to the expression language (hook ``pypeline_expression_functions``).

tox's ``core`` env installs ``pypeline-mods-example``, whose ``initials(s)`` must be callable in
a flow like a built-in function and listed by ``pype show-functions`` with its distribution; a
function name two plugins give is refused, naming both.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

from pypeline import hookimpl
from pypeline.modules.mods.compute_mod import ComputeMod
from pypeline.plugins.facade import PluginHooks
from pypeline.sdk.functions import ExpressionFunction
from pypeline.shared.errors import UsageError
from pypeline.testing import FlowRun, run_module

EXAMPLE = "pypeline-mods-example"

FLOW = """
flow: {name: initials_flow}
modules:
  - id: people
    name: greet_source
    configs: {optional: {names: [Ada Lovelace, grace hopper, Ann Lee], greeting: Hi}}
  - id: add_initials
    name: compute_mod
    configs: {required: {expressions: {initials: initials(name)}}}
  - id: only_al
    name: filter_mod
    configs: {required: {condition: "initials == 'AL'"}}
connections:
  data:
    - people.data - add_initials.input
    - add_initials.output - only_al.input
"""


class FunctionProvider:
    """A plugin giving one function named ``name``: each instance its own object."""

    def __init__(self, name: str) -> None:
        self.function = ExpressionFunction(name, ("x",), lambda fctx, x: x, "Gives x.")

    @hookimpl
    def pypeline_expression_functions(self) -> dict[str, ExpressionFunction]:
        return {self.function.name: self.function}


def test_pypeline_expression_functions_one_name_from_two_plugins_is_an_error_naming_both(
    pypeline_plugin: Callable[..., Any],
) -> None:
    pypeline_plugin(FunctionProvider("twice"), name="pack-a", distribution="pack-a")
    pypeline_plugin(FunctionProvider("twice"), name="pack-b", distribution="pack-b")

    with pytest.raises(UsageError) as info:
        PluginHooks().expression_functions()

    assert str(info.value) == (
        "expression function 'twice' is provided by two plugins: pack-a and pack-b"
    )


def test_pypeline_expression_functions_of_a_registered_plugin_are_listed(
    pypeline_plugin: Callable[..., Any],
) -> None:
    provider = pypeline_plugin(FunctionProvider("echo_x"), name="pack-c", distribution="pack-c")
    functions = PluginHooks().expression_functions()
    assert functions["echo_x"] is provider.function
    assert functions["initials"].group == "text"  # the installed pack's, beside it


@pytest.mark.parametrize("mode", ["pandas", "dask"])
def test_compute_mod_calls_the_packs_function(mode: str) -> None:
    frame = pd.DataFrame(
        {"name": pd.Series(["Ada Lovelace", "  grace  hopper!", None, ""], dtype="string")}
    )
    result = run_module(
        ComputeMod, {"expressions": {"initials": "initials(name)"}}, {"input": frame}, mode=mode
    )
    assert result.frame("output")["initials"].tolist() == ["AL", "GH", pd.NA, ""]


def test_a_flow_uses_the_packs_function(pypeline_flow: Callable[..., FlowRun]) -> None:
    run = pypeline_flow(FLOW)
    assert run.status == "success", run.events
    assert run.node("add_initials")["rows_out"] == 3
    assert run.node("only_al")["rows_out"] == 2  # Ada Lovelace and Ann Lee


def test_show_functions_lists_the_packs_function_with_its_distribution(pype: Any) -> None:
    listed = pype("show-functions", "--json")
    assert listed.code == 0, listed.output
    rows = {r["name"]: r for r in json.loads(listed.out)}
    assert rows["initials"]["distribution"] == EXAMPLE
    assert rows["initials"]["signature"] == "initials(s)"
    assert rows["initials"]["nulls"] == "a null gives null"

    one = pype("show-functions", "initials")
    assert one.code == 0, one.output
    assert one.out.splitlines()[:2] == ["text:", f"  initials(s)  ({EXAMPLE})"]


def test_show_functions_unknown_name_suggests(pype: Any) -> None:
    result = pype("show-functions", "initals")
    assert result.code == 2
    assert result.err.splitlines()[0] == "error: unknown function 'initals'"
    assert "did you mean 'initials'?" in result.err
