"""The plan phase: sub flows, waves, resolved orders, roots, and the job folder it becomes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pypeline.build.build import build_flow, validate_flow
from pypeline.shared.errors import FlowInvalid

FLOW = """\
flow: {name: shapes}
modules:
  - {id: people, name: fixed_rows, configs: {required: {rows: [{age: 20}, {age: 10}]}}}
  - {id: adults, name: filter_mod, configs: {required: {condition: "age > 18"}}}
  - {id: show_adults, name: log_row}
  - {id: show_minors, name: log_row}
  - {id: pause, name: sleep, configs: {required: {seconds: 0}}}
  - {id: other, name: fixed_rows, configs: {required: {rows: [{x: 1}]}}}
  - {id: show_other, name: log_row}
  - {id: late, name: warn, configs: {required: {message: hi}}}
connections:
  data:
    - "people.data - adults.input"
    - "adults.output - show_adults.input"
    - "adults.reject - show_minors.input"
    - "other.data - show_other.input"
  control:
    - "people (2|) pause"
    - "people (Last|) late"
    - "pause (1|) other"
    - "adults (1|) show_adults"
"""


@pytest.fixture
def flow(tmp_path: Path) -> Path:
    path = tmp_path / "shapes.yaml"
    path.write_text(FLOW, encoding="utf-8")
    return path


def test_subflows_are_the_weakly_connected_components_with_waves(flow: Path) -> None:
    plan = validate_flow(flow).plan
    subs = {s.id: s for s in plan.subflows.values()}
    assert list(subs) == ["sf_people", "sf_pause", "sf_other", "sf_late"]
    assert subs["sf_people"].members == ("people", "adults", "show_adults", "show_minors")
    assert subs["sf_people"].waves == (("people",), ("adults",), ("show_adults", "show_minors"))
    assert subs["sf_pause"].waves == (("pause",),)
    assert subs["sf_other"].waves == (("other",), ("show_other",))


def test_last_is_the_largest_order_leaving_the_subflow_plus_one(flow: Path) -> None:
    plan = validate_flow(flow).plan
    orders = {(e.src, e.dst): e.order for e in plan.control_edges}
    # people's sub flow has orders 2 and 1 (adults -> show_adults, inside it): Last = 3
    assert orders[("people", "late")] == 3
    assert orders[("people", "pause")] == 2


def test_roots_are_subflows_without_incoming_control_edges(flow: Path) -> None:
    plan = validate_flow(flow).plan
    assert plan.roots == ("sf_people",)


def test_intra_subflow_control_edge_is_a_warning_with_its_line(flow: Path) -> None:
    warnings = validate_flow(flow).warnings
    assert [w.severity for w in warnings] == ["warning"]
    assert warnings[0].line == 21
    assert "inside one sub flow" in warnings[0].message


def test_build_writes_the_job_folder_of_the_seed(flow: Path, tmp_path: Path) -> None:
    job = build_flow(flow, tmp_path / "jobs").job_dir
    assert job == tmp_path / "jobs" / "shapes"
    names = sorted(str(p.relative_to(job)) for p in job.rglob("*") if p.is_file())
    assert names == [
        "context/shapes_default.json",
        "shapes.yaml",
        "shapes_dag.json",
        "shapes_execution_metadata.json",
    ]
    dag = json.loads((job / "shapes_dag.json").read_text())
    adults = next(n for n in dag["nodes"] if n["id"] == "adults")
    assert adults["module_path"] == "pypeline.modules.mods.filter_mod:FilterMod"
    assert adults["meta"]["input_ports"] == ["input"]
    assert adults["sub_flow"] == "sf_people"
    meta = json.loads((job / "shapes_execution_metadata.json").read_text())
    assert meta["root_order"] == ["sf_people"]
    assert meta["settings"]["fail_strategy"] == "halt"
    assert meta["settings"]["checkpoint"] is True
    assert meta["versions"]["pypeline-core"]
    assert len(meta["flow_sha256"]) == 64
    assert (job / "shapes.yaml").read_text() == FLOW


def test_build_is_deterministic_but_for_the_timestamp(flow: Path, tmp_path: Path) -> None:
    first = build_flow(flow, tmp_path / "a").job_dir
    second = build_flow(flow, tmp_path / "b").job_dir
    assert first is not None and second is not None
    for path in first.rglob("*.json"):
        a = json.loads(path.read_text())
        b = json.loads((second / path.relative_to(first)).read_text())
        if isinstance(a, dict):
            a.pop("built_at", None)
            b.pop("built_at", None)
        assert a == b, path


def test_contexts_inherit_default_at_build(tmp_path: Path) -> None:
    path = tmp_path / "ctx.yaml"
    path.write_text(
        FLOW.replace(
            "modules:",
            "context:\n  default: {min_age: 18, region: eu}\n  prod: {region: us}\nmodules:",
            1,
        )
    )
    job = build_flow(path, tmp_path / "jobs").job_dir
    assert job is not None
    prod = json.loads((job / "context" / "shapes_prod.json").read_text())
    assert prod == {"min_age": 18, "region": "us"}


def test_a_failed_build_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(FLOW.replace("adults.input", "adults.inptu", 1))
    with pytest.raises(FlowInvalid):
        build_flow(path, tmp_path / "jobs")
    assert not (tmp_path / "jobs" / "shapes").exists()
