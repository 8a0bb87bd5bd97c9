"""union_mod: pandas' concat by column name; input3 and input4 may be left unconnected."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pypeline.modules.mods.union_mod import UnionMod
from pypeline.testing import rows, run_module

from .transform_flows import problem_lines, validate_configs

MODES = ["pandas", "dask"]


@pytest.fixture
def parts() -> dict[str, pd.DataFrame]:
    return {
        "input1": pd.DataFrame({"id": [1, 2, 3], "name": ["a", "b", "c"]}),
        "input2": pd.DataFrame({"name": ["c", "d"], "id": [3, 4], "vip": [True, False]}),
        "input3": pd.DataFrame({"id": [1], "name": ["a"]}),
    }


@pytest.mark.parametrize("mode", MODES)
def test_columns_are_matched_by_name_like_concat(parts: dict[str, pd.DataFrame], mode: str) -> None:
    run = run_module(UnionMod, {}, parts, mode=mode)

    expected = pd.concat(list(parts.values()), ignore_index=True)
    out = run.frame("output")
    assert list(out.columns) == ["id", "name", "vip"]
    assert rows(out) == rows(expected)
    assert run.logs == ["input1 lacks vip: null in its rows", "input3 lacks vip: null in its rows"]


@pytest.mark.parametrize("mode", MODES)
def test_distinct_drops_repeated_rows(parts: dict[str, pd.DataFrame], mode: str) -> None:
    run = run_module(UnionMod, {"distinct": True}, parts, mode=mode)

    expected = pd.concat(list(parts.values()), ignore_index=True).drop_duplicates()
    assert sorted(rows(run.frame("output")), key=repr) == sorted(rows(expected), key=repr)
    assert len(run.frame("output")) == 5


@pytest.mark.parametrize("mode", MODES)
def test_two_inputs_are_enough(parts: dict[str, pd.DataFrame], mode: str) -> None:
    two = {port: parts[port] for port in ("input1", "input2")}
    run = run_module(UnionMod, {}, two, mode=mode)
    assert rows(run.frame("output")) == rows(pd.concat(list(two.values()), ignore_index=True))


def _flow(ports: list[str]) -> str:
    sources = "\n".join(
        f"  - {{id: s{i}, name: fixed_rows, configs: {{required: {{rows: [{{n: {i}}}]}}}}}}"
        for i, _ in enumerate(ports)
    )
    data = ", ".join(f'"s{i}.data - u.{port}"' for i, port in enumerate(ports))
    return f"""
flow: {{name: union_flow}}
modules:
{sources}
  - {{id: u, name: union_mod}}
  - {{id: show, name: log_row}}
connections:
  data: [{data}, "u.output - show.input"]
"""


@pytest.mark.parametrize("ports", [["input1", "input2"], ["input1", "input2", "input4"]])
def test_optional_ports_may_stay_unconnected(pypeline_flow: Any, ports: list[str]) -> None:
    run = pypeline_flow(_flow(ports))
    assert run.exit_code == 0
    assert run.node("u")["rows_out"] == len(ports)


def test_a_required_port_left_unconnected_fails_validation(pype: Any, tmp_path: Path) -> None:
    (tmp_path / "flow.yaml").write_text(_flow(["input1", "input3"]), encoding="utf-8")
    result = pype("validate", "flow.yaml")
    assert result.code == 2
    assert "input port 'u.input2' has no data connection" in result.err
    assert "u.input4" not in result.err


def test_metadata_lists_the_optional_ports() -> None:
    meta = UnionMod.metadata()
    assert meta["input_ports"] == ["input1", "input2", "input3", "input4"]
    assert meta["optional_input_ports"] == ["input3", "input4"]


def test_a_bad_distinct_fails_validation_naming_the_key(pype: Any, tmp_path: Path) -> None:
    result = validate_configs(
        pype, tmp_path, "union_mod", {"u": {"optional": {"distinct": "maybe"}}}
    )
    assert result.code == 2
    assert problem_lines(result) == [
        "module 'u' (union_mod): distinct must be bool, got str 'maybe'"
    ]
