"""Priority-DFS as a user sees it in ``log.jsonl``: order, ``Last``, concurrency, conditions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from pypeline.testing import FlowRun

RunFlow = Callable[..., FlowRun]


def _t(event: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(event["ts"].replace("Z", "+00:00"))


def _started(run: FlowRun) -> list[str]:
    return [e["sub_flow"] for e in run.of("subflow_start")]


def test_orders_run_ascending_and_each_target_runs_its_downstream_first(
    pypeline_flow: RunFlow,
) -> None:
    run = pypeline_flow(
        """
flow: {name: dfs}
modules:
  - {id: root, name: warn, configs: {required: {message: root}}}
  - {id: third, name: warn, configs: {required: {message: "3"}}}
  - {id: first, name: warn, configs: {required: {message: "1"}}}
  - {id: first_child, name: warn, configs: {required: {message: "1.1"}}}
  - {id: second, name: warn, configs: {required: {message: "2"}}}
connections:
  control:
    - "root (Last|) third"
    - "root (1|) first"
    - "root (2|) second"
    - "first (1|) first_child"
"""
    )
    assert run.exit_code == 0
    assert _started(run) == ["sf_root", "sf_first", "sf_first_child", "sf_second", "sf_third"]


def test_roots_run_one_after_another_in_declaration_order(pypeline_flow: RunFlow) -> None:
    run = pypeline_flow(
        """
flow: {name: roots}
modules:
  - {id: b, name: sleep, configs: {required: {seconds: 0.05}}}
  - {id: a, name: sleep, configs: {required: {seconds: 0.05}}}
"""
    )
    starts = run.of("subflow_start")
    ends = run.of("subflow_end")
    assert [e["sub_flow"] for e in starts] == ["sf_b", "sf_a"]
    assert _t(ends[0]) <= _t(starts[1])


def test_edges_of_one_order_run_concurrently(pypeline_flow: RunFlow) -> None:
    run = pypeline_flow(
        """
flow: {name: same_order}
modules:
  - {id: go, name: warn, configs: {required: {message: go}}}
  - {id: left, name: sleep, configs: {required: {seconds: 0.4}}}
  - {id: right, name: sleep, configs: {required: {seconds: 0.4}}}
  - {id: after, name: warn, configs: {required: {message: after}}}
connections:
  control:
    - "go (1|) left"
    - "go (1|) right"
    - "go (2|) after"
"""
    )
    ends = {e["node_id"]: e for e in run.of("module_end")}
    starts = {e["node_id"]: e for e in run.of("module_start")}
    # the two sleeps overlap: each starts before the other ends
    assert _t(starts["right"]) < _t(ends["left"])
    assert _t(starts["left"]) < _t(ends["right"])
    total = (_t(ends["right"]) - _t(starts["left"])).total_seconds()
    assert total < 0.75, total
    # order 2 waits for both
    assert _t(starts["after"]) >= max(_t(ends["left"]), _t(ends["right"]))


def test_false_condition_skips_the_target_and_its_downstream(pypeline_flow: RunFlow) -> None:
    run = pypeline_flow(
        """
flow: {name: cond}
context:
  default: {limit: 5}
modules:
  - {id: src, name: fixed_rows, configs: {required: {rows: [{a: 1}, {a: 2}]}}}
  - {id: big, name: warn, configs: {required: {message: big}}}
  - {id: big_child, name: warn, configs: {required: {message: below big}}}
  - {id: small, name: warn, configs: {required: {message: "{{ src__ROW_COUNT }} rows"}}}
connections:
  control:
    - "src (1|{{ src__row_count }} > context.limit) big"
    - "big (1|) big_child"
    - "src (2|SRC__row_count <= {{ context.limit }}) small"
"""
    )
    assert run.exit_code == 0
    assert _started(run) == ["sf_src", "sf_small"]
    skipped = run.of("subflow_skipped")
    assert [e["sub_flow"] for e in skipped] == ["sf_big"]
    assert "condition is false" in skipped[0]["message"]
    assert run.node("big")["status"] == "skipped"
    assert run.node("big_child")["status"] == "skipped"
    logs = [e["message"] for e in run.of("log") if e["node_id"] == "small"]
    assert logs == ["2 rows"]


def test_set_overrides_a_context_variable_in_a_condition(pypeline_flow: RunFlow) -> None:
    flow = """
flow: {name: cond_set}
context:
  default: {go: false}
modules:
  - {id: src, name: warn, configs: {required: {message: x}}}
  - {id: target, name: warn, configs: {required: {message: y}}}
connections:
  control: ["src (1|context.go) target"]
"""
    assert pypeline_flow(flow).node("target")["status"] == "skipped"
    assert pypeline_flow(flow, overrides=("go=true",)).node("target")["status"] == "success"


def test_spill_to_parquet_above_the_threshold_is_logged(pypeline_flow: RunFlow) -> None:
    run = pypeline_flow(
        """
flow: {name: spill}
settings:
  artifacts: {spill_threshold_rows: 2}
modules:
  - {id: src, name: fixed_rows, configs: {required: {rows: [{a: 1}, {a: 2}, {a: 3}]}}}
  - {id: keep, name: filter_mod, configs: {required: {condition: "a >= 2"}}}
  - {id: show, name: log_row}
connections:
  data: ["src.data - keep.input", "keep.output - show.input"]
  control: []
"""
    )
    assert run.exit_code == 0
    spills = run.of("spill")
    assert [e["rows"] for e in spills] == [3]  # src.data spilled; 2-row outputs stay in RAM
    assert spills[0]["uri"].endswith(".parquet")
    assert run.node("show")["rows_in"] == 2
    assert not any(p.exists() for p in map(_path, spills)), "spill files are removed at the end"


def _path(event: dict[str, Any]) -> Any:
    from pathlib import Path

    return Path(event["uri"])
