"""``pype graph``: sub flows, waves and control connections, for a flow file or a job folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

FLOW = """
flow: {name: shape}
modules:
  - {id: items, name: fixed_rows, configs: {required: {rows: [1, 2]}}}
  - {id: keep, name: filter_mod, configs: {required: {condition: "value > 1"}}}
  - {id: show, name: log_row}
  - {id: each_one, name: warn, configs: {required: {message: "{{ iter.item }}"}}}
  - {id: oops, name: warn, configs: {required: {message: oops}}}
connections:
  data: ["items.data - keep.input", "keep.output - show.input"]
  control:
    - "items (1|) iterate each_one"
    - "items (2|items__row_count > 1) error oops"
"""


def test_graph_text_of_a_flow_and_of_its_job(pype: Any, tmp_path: Path) -> None:
    (tmp_path / "flow.yaml").write_text(FLOW)
    expected = [
        "flow shape: roots sf_items",
        "  sf_items: [items] → [keep] → [show]",
        "    items (1|) iterate → each_one (sf_each_one)",
        "    items (2|items__row_count > 1) error → oops (sf_oops)",
        "  sf_each_one: [each_one]",
        "  sf_oops: [oops]",
    ]
    result = pype("graph", "flow.yaml")
    assert result.code == 0, result.output
    assert result.out.splitlines() == expected
    assert pype("build", "flow.yaml").code == 0
    assert pype("graph", "jobs/shape").out.splitlines() == expected


def test_graph_dot(pype: Any, tmp_path: Path) -> None:
    (tmp_path / "flow.yaml").write_text(FLOW)
    out = pype("graph", "flow.yaml", "--format", "dot").out
    assert out.startswith('digraph "shape" {')
    assert '"items" -> "keep" [label="data→input"];' in out
    assert '"items" -> "oops" [style=dashed, label="(2|items__row_count > 1) error"];' in out


def test_graph_of_a_bad_flow_exits_2(pype: Any, tmp_path: Path) -> None:
    (tmp_path / "flow.yaml").write_text(FLOW.replace("log_row", "log_rwo"))
    result = pype("graph", "flow.yaml")
    assert result.code == 2
    assert "unknown module 'log_rwo'" in result.err
