"""No row is lost in silence (SPEC §3): rows_rejected, rejects_dropped, values_nulled and
``settings.rejects`` (max_share, unconnected), seen in the summary, the log and the table."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from pypeline.testing import FlowRun

ROWS = "[{n: '1'}, {n: x}, {n: '3'}, {n: y}]"


def _flow(errors: str, settings: str = "", connect_reject: bool = False) -> str:
    data = ['"rows.data - cast.input"', '"cast.output - show.input"']
    extra = ""
    if connect_reject:
        data.append('"cast.reject - bad.input"')
        extra = "  - {id: bad, name: log_row}\n"
    return f"""\
flow: {{name: rejecting}}
settings: {{{settings}}}
modules:
  - {{id: rows, name: fixed_rows, configs: {{required: {{rows: {ROWS}}}}}}}
  - {{id: cast, name: cast_mod, configs: {{required: {{types: {{n: int}}}}, optional: {{errors: {errors}}}}}}}
  - {{id: show, name: log_row}}
{extra}connections:
  data: [{", ".join(data)}]
"""


Run = Callable[..., FlowRun]


def test_unread_rejects_are_counted_and_announced(pypeline_flow: Run) -> None:
    run = pypeline_flow(_flow("reject"))
    assert run.exit_code == 0
    assert run.node("cast")["rows_rejected"] == 2
    assert run.node("cast")["rows_out"] == 2
    (dropped,) = run.of("rejects_dropped")
    assert dropped["level"] == "WARNING" and dropped["node_id"] == "cast"
    assert dropped["module"] == "cast_mod" and dropped["rows_rejected"] == 2
    assert (
        "2 rejected rows of cast went to its reject port, which nothing reads" in dropped["message"]
    )
    end = next(e for e in run.of("module_end") if e["node_id"] == "cast")
    assert end["rows_rejected"] == 2


def test_read_rejects_are_counted_without_a_warning(pypeline_flow: Run) -> None:
    run = pypeline_flow(_flow("reject", connect_reject=True))
    assert run.exit_code == 0
    assert run.node("cast")["rows_rejected"] == 2
    assert run.node("bad")["rows_in"] == 2
    assert run.of("rejects_dropped") == []


def test_no_rejects_is_zero_not_missing(pypeline_flow: Run) -> None:
    run = pypeline_flow(_flow("reject").replace("{n: x}", "{n: '2'}").replace("{n: y}", "{n: '4'}"))
    assert run.node("cast")["rows_rejected"] == 0
    assert run.of("rejects_dropped") == []


def test_unconnected_fail_fails_the_module(pypeline_flow: Run) -> None:
    run = pypeline_flow(_flow("reject", settings="rejects: {unconnected: fail}"))
    assert run.exit_code == 1
    cast = run.node("cast")
    assert cast["status"] == "failed"
    assert "2 rejected rows went to the unconnected reject port" in cast["error"]
    assert "settings.rejects.unconnected: fail" in cast["error"]
    assert run.node("show")["status"] == "skipped"


def test_max_share_fails_a_module_that_rejects_too_much(pypeline_flow: Run) -> None:
    run = pypeline_flow(_flow("reject", settings="rejects: {max_share: 0.25}", connect_reject=True))
    assert run.exit_code == 1
    assert (
        "rejected 2 of 4 rows (50.00%), more than settings.rejects.max_share 0.25"
        in (run.node("cast")["error"])
    )


def test_max_share_within_the_limit_passes(pypeline_flow: Run) -> None:
    run = pypeline_flow(_flow("reject", settings="rejects: {max_share: 0.5}", connect_reject=True))
    assert run.exit_code == 0


def test_values_nulled_are_counted(pypeline_flow: Run) -> None:
    run = pypeline_flow(_flow("'null'"))
    assert run.exit_code == 0
    assert run.node("cast")["values_nulled"] == 2
    assert run.node("show")["rows_in"] == 4
    warned = [e for e in run.of("log") if e.get("node_id") == "cast"]
    assert any("2 values could not be converted: set to null" in e["message"] for e in warned)


def test_a_filter_counts_its_unmatched_rows_but_they_are_no_loss(pypeline_flow: Run) -> None:
    flow = """\
flow: {name: filtering}
settings: {rejects: {unconnected: fail, max_share: 0.1}}
modules:
  - {id: rows, name: fixed_rows, configs: {required: {rows: [{n: 1}, {n: 2}, {n: 3}]}}}
  - {id: keep, name: filter_mod, configs: {required: {condition: "n > 1"}}}
  - {id: show, name: log_row}
connections:
  data: ["rows.data - keep.input", "keep.output - show.input"]
"""
    run = pypeline_flow(flow)
    assert run.exit_code == 0
    assert run.node("keep")["rows_rejected"] == 1
    assert run.of("rejects_dropped") == []


def test_the_table_shows_rejected(pype: Any, tmp_path: Path) -> None:
    (tmp_path / "flow.yaml").write_text(_flow("reject"), encoding="utf-8")
    result = pype("run", "flow.yaml")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    header = next(line for line in lines if line.startswith("node"))
    assert "rejected" in header
    cast = next(line for line in lines if line.startswith("cast "))
    assert cast[: header.index("rejected") + len("rejected")].rstrip().endswith("2")
    assert "WARNING" in result.err + result.out and "rejects_dropped" in result.err + result.out


def test_rejects_settings_are_checked_at_validate(pype: Any, tmp_path: Path) -> None:
    (tmp_path / "flow.yaml").write_text(
        _flow("reject", settings="rejects: {max_share: 7, unconnected: maybe}"), encoding="utf-8"
    )
    result = pype("validate", "flow.yaml")
    assert result.code == 2
    assert "flow.yaml:2:" in result.err and "max_share" in result.err
    assert "unconnected" in result.err
