"""Long control paths: refused past ``MAX_CONTROL_DEPTH`` at validate, run at the limit.

A valid chain of 1,000 sub flows gave ``error: RecursionError``, exit 1: the planner walked the
control graph recursively. Its walks are iterative now, and a path longer than 200 sub flows
is refused with a located error, because the runtime follows (and, on a timeout, cancels) a
path through nested awaits: 200 is what it really runs, which the tests below prove by
running chains at the limit, to the end and cancelled at their deepest module.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pypeline.build.build import validate_flow
from pypeline.build.limits import MAX_CONTROL_DEPTH
from pypeline.shared.errors import FlowInvalid
from pypeline.testing import FlowRun

SLEEP = "name: sleep, configs: {required: {seconds: 0}}"
ROW = "name: fixed_rows, configs: {required: {rows: [1]}}"


def _chain(n: int, edge: str = "", module: str = SLEEP, last: str = SLEEP, head: str = "") -> str:
    """``a0 -> a1 -> ... -> a<n-1>``: n sub flows on one control path; edges from line n + 5."""
    lines = [f"flow: {{name: chain}}{head}", "modules:"]
    lines += [f"  - {{id: a{i}, {module if i < n - 1 else last}}}" for i in range(n)]
    lines += ["connections:", "  control:"]
    lines += [f'    - "a{i} (1|) {edge}a{i + 1}"' for i in range(n - 1)]
    return "\n".join(lines) + "\n"


def test_a_path_one_sub_flow_too_long_is_refused_at_the_edge_that_crosses(
    pype: Any, tmp_path: Path
) -> None:
    n = MAX_CONTROL_DEPTH + 1
    (tmp_path / "flow.yaml").write_text(_chain(n), encoding="utf-8")
    for command in ("validate", "build", "run"):
        result = pype(command, "flow.yaml")
        assert result.code == 2, result.output
        assert result.err.splitlines()[0] == (
            f"flow.yaml:{n + 4 + MAX_CONTROL_DEPTH}:7: control path too long: a199 -> a200 "
            "makes it 201 sub flows from 'a0' (201 in all); at most 200 may follow one another"
        )
        assert "Traceback" not in result.output
    assert not (tmp_path / "jobs").exists()


@pytest.mark.parametrize(
    "text",
    [_chain(1_000), _chain(1_000, "iterate ", ROW), _chain(1_000, "error ")],
    ids=["normal", "iterate", "error"],
)
def test_a_chain_of_a_thousand_is_refused_quickly_not_a_recursion_error(
    tmp_path: Path, text: str
) -> None:
    (tmp_path / "flow.yaml").write_text(text, encoding="utf-8")
    start = time.perf_counter()
    with pytest.raises(FlowInvalid) as info:
        validate_flow(tmp_path / "flow.yaml")
    assert time.perf_counter() - start < 30
    [problem] = info.value.problems
    assert "control path too long" in problem.message and "(1000 in all)" in problem.message


def test_a_long_control_cycle_is_found_without_recursion(tmp_path: Path) -> None:
    text = _chain(1_000) + '    - "a999 (1|) a0"\n'
    (tmp_path / "flow.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(FlowInvalid) as info:
        validate_flow(tmp_path / "flow.yaml")
    assert [p.message for p in info.value.problems] == [
        "control cycle: a999 -> a0 leads back to a sub flow that is already upstream"
    ]


def test_many_sub_flows_side_by_side_are_not_a_long_path(tmp_path: Path) -> None:
    lines = ["flow: {name: wide}", "modules:", f"  - {{id: root, {SLEEP}}}"]
    lines += [f"  - {{id: b{i}, {SLEEP}}}" for i in range(500)]
    lines += ["connections:", "  control:"] + [f'    - "root ({i + 1}|) b{i}"' for i in range(500)]
    (tmp_path / "flow.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert len(validate_flow(tmp_path / "flow.yaml").plan.subflows) == 501


def test_a_chain_at_the_limit_builds_and_runs_to_its_end(
    pypeline_flow: Callable[..., FlowRun],
) -> None:
    run = pypeline_flow(_chain(MAX_CONTROL_DEPTH))
    assert (run.exit_code, run.status) == (0, "success")
    assert len(run.of("subflow_start")) == MAX_CONTROL_DEPTH
    assert run.node(f"a{MAX_CONTROL_DEPTH - 1}")["status"] == "success"


def test_an_iterate_chain_at_the_limit_is_cancelled_at_its_deepest_module(
    pypeline_flow: Callable[..., FlowRun],
) -> None:
    """A timeout cancels through every nested level: the run fails, it does not crash."""
    sleeper = "name: sleep, configs: {required: {seconds: 120}}"
    text = _chain(MAX_CONTROL_DEPTH, "iterate ", ROW, sleeper, "\nsettings: {timeout: 15}")
    start = time.perf_counter()
    run = pypeline_flow(text)
    assert time.perf_counter() - start < 100
    assert (run.exit_code, run.status) == (1, "failed")
    deepest = f"a{MAX_CONTROL_DEPTH - 1}#" + ".".join(["0"] * (MAX_CONTROL_DEPTH - 1))
    assert run.node(deepest)["status"] == "failed", run.node(deepest)
    assert run.of("job_end")[-1]["message"] == "job timed out after 15s"
