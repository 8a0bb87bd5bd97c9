"""ITERATE and START edges, as ``log.jsonl`` tells them (error edges: test_error_edges.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from pypeline.testing import FlowRun

RunFlow = Callable[..., FlowRun]


def _t(event: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(event["ts"].replace("Z", "+00:00"))


def _logs(run: FlowRun) -> list[str]:
    return [e["message"] for e in run.of("log")]


def test_nested_iteration_runs_each_scope_per_item_with_nested_ids(
    pypeline_flow: RunFlow,
) -> None:
    run = pypeline_flow(
        """
flow: {name: nested}
modules:
  - id: teams
    name: fixed_rows
    configs: {required: {rows: [{team: red, people: [{n: a}, {n: b}]}, {team: blue, people: [{n: c}]}]}}
  - {id: members, name: fixed_rows, configs: {required: {rows: "{{ iter.item.people }}"}}}
  - id: say
    name: warn
    configs: {required: {message: "{{ iter.index }}/{{ iter.count }} {{ iter.item.n }}"}}
connections:
  control:
    - "teams (1|) iterate members"
    - "members (1|) iterate say"
"""
    )
    assert run.exit_code == 0
    ends = [e["node_id"] for e in run.of("module_end")]
    assert ends == ["teams", "members#0", "say#0.0", "say#0.1", "members#1", "say#1.0"]
    assert _logs(run) == ["0/2 a", "1/2 b", "0/1 c"]
    assert run.node("say#0.1")["status"] == "success"


def test_iterate_over_a_dataframe_gives_row_dicts(pypeline_flow: RunFlow) -> None:
    run = pypeline_flow(
        """
flow: {name: frame_items}
modules:
  - {id: rows, name: fixed_rows, configs: {required: {rows: [{city: Paris}, {city: Oslo}]}}}
  - {id: keep, name: filter_mod, configs: {required: {condition: "city != 'x'"}}}
  - {id: say, name: warn, configs: {required: {message: "{{ iter.item.city }}"}}}
connections:
  data: ["rows.data - keep.input"]
  control: ["rows (1|) iterate say"]
"""
    )
    assert _logs(run) == ["Paris", "Oslo"]


def test_globals_are_per_iteration_frame_then_latest(pypeline_flow: RunFlow) -> None:
    run = pypeline_flow(
        """
flow: {name: frames}
modules:
  - {id: outer, name: fixed_rows, configs: {required: {rows: [{k: 1}, {k: 2}, {k: 3}]}}}
  - {id: inner, name: fixed_rows, configs: {required: {rows: "{{ [iter.item] * iter.item.k }}"}}}
  - {id: say, name: warn, configs: {required: {message: "{{ INNER__row_count }}"}}}
  - {id: after, name: warn, configs: {required: {message: "last {{ inner__ROW_COUNT }}"}}}
connections:
  control:
    - "outer (1|) iterate inner"
    - "inner (1|) say"
    - "outer (2|) after"
"""
    )
    assert _logs(run) == ["1", "2", "3", "last 3"]


def test_parallel_iteration_overlaps(pypeline_flow: RunFlow) -> None:
    run = pypeline_flow(
        """
flow: {name: par}
modules:
  - {id: items, name: fixed_rows, configs: {required: {rows: [{a: 1}, {a: 2}, {a: 3}, {a: 4}]}}}
  - {id: nap, name: sleep, configs: {required: {seconds: 0.3}}}
connections:
  control: [{from: items, to: nap, type: iterate, parallel: 4}]
"""
    )
    naps = [e for e in run.of("module_end") if e["node_id"].startswith("nap#")]
    assert len(naps) == 4
    span = (_t(run.of("job_end")[0]) - _t(run.of("subflow_end")[0])).total_seconds()
    assert span < 0.9, span


def test_start_edges_are_spawned_and_awaited(pypeline_flow: RunFlow) -> None:
    run = pypeline_flow(
        """
flow: {name: spawn}
modules:
  - {id: go, name: warn, configs: {required: {message: go}}}
  - {id: background, name: sleep, configs: {required: {seconds: 0.4}}}
  - {id: next, name: warn, configs: {required: {message: next}}}
connections:
  control:
    - "go (1|) start background"
    - "go (2|) next"
"""
    )
    starts = {e["node_id"]: _t(e) for e in run.of("module_start")}
    ends = {e["node_id"]: _t(e) for e in run.of("module_end")}
    assert starts["next"] < ends["background"]  # order 2 did not wait for the spawned task
    assert run.of("job_end")[0]["status"] == "success"
    assert _t(run.of("job_end")[0]) >= ends["background"]  # the job waited for it


def test_a_failing_start_task_fails_the_job(pypeline_flow: RunFlow) -> None:
    run = pypeline_flow(
        """
flow: {name: spawn_fail}
modules:
  - {id: go, name: warn, configs: {required: {message: go}}}
  - {id: boom, name: fail, configs: {optional: {message: background broke}}}
connections:
  control: ["go (1|) start boom"]
"""
    )
    assert run.exit_code == 1
    assert run.node("boom")["error"] == "background broke"
