"""Run records (SPEC §8): summary.json and the console's final table."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from pypeline.run.observe.console import render_table
from pypeline.run.observe.redact import Redactor
from pypeline.run.observe.summary import RunSummary

SECRET = "s3cr3t-pa$$"


def three_node_summary(tmp_path: Path) -> tuple[RunSummary, dict[str, Any]]:
    summary = RunSummary(Redactor([SECRET]))
    summary.record("source_csv", module="csv_source", sub_flow="sf1")
    summary.record(
        "filter", module="filter_mod", status="success", rows_in=1200, rows_out=7, duration_s=0.5
    )
    summary.record("source_csv", status="success", rows_out=1200, duration_s=0.25)
    summary.record("report", module="log_row", status="failed", error=f"auth {SECRET}")
    start = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
    end = start + timedelta(seconds=1.234)
    path = tmp_path / "summary.json"
    written = summary.write(path, "sample_etl", "r1", "failed", start, end, {"exit_code": 1})
    return summary, written


def test_summary_json_holds_status_nodes_and_counts(tmp_path: Path) -> None:
    _, written = three_node_summary(tmp_path)
    on_disk = json.loads((tmp_path / "summary.json").read_text())
    assert on_disk == written
    assert (on_disk["job"], on_disk["run_id"], on_disk["status"]) == ("sample_etl", "r1", "failed")
    assert on_disk["started"] == "2024-05-01T12:00:00+00:00"
    assert on_disk["duration_s"] == 1.234
    assert list(on_disk["nodes"]) == ["source_csv", "filter", "report"]
    assert on_disk["nodes"]["source_csv"] == {
        "module": "csv_source",
        "sub_flow": "sf1",
        "status": "success",
        "rows_out": 1200,
        "duration_s": 0.25,
    }
    assert on_disk["nodes"]["report"]["error"] == "auth ***"
    assert on_disk["counts"] == {"success": 2, "failed": 1, "skipped": 0, "restored": 0}
    assert on_disk["exit_code"] == 1


def test_summary_write_is_atomic_and_leaves_no_temp_files(tmp_path: Path) -> None:
    summary, _ = three_node_summary(tmp_path)
    (tmp_path / "summary.json").write_text("old")
    ts = datetime.now(UTC)
    summary.write(tmp_path, "sample_etl", "r1", "success", ts, ts)
    assert os.listdir(tmp_path) == ["summary.json"]
    assert json.loads((tmp_path / "summary.json").read_text())["status"] == "success"


def test_summary_keeps_a_skip_reason_and_refuses_unknown_status() -> None:
    summary = RunSummary()
    summary.record("x", status="skipped", message="upstream failed", rows_in=None)
    assert summary.nodes == {"x": {"status": "skipped", "message": "upstream failed"}}
    with pytest.raises(ValueError, match="status must be one of"):
        summary.record("x", status="ok")


def test_render_table_for_three_nodes(tmp_path: Path) -> None:
    _, written = three_node_summary(tmp_path)
    table = render_table(written).splitlines()
    assert table[0].split() == [
        "node",
        "module",
        "status",
        "rows",
        "in",
        "rows",
        "out",
        "rejected",
        "seconds",
    ]
    assert set(table[1].replace(" ", "")) == {"-"}
    assert table[2].split() == ["source_csv", "csv_source", "success", "-", "1,200", "-", "0.25"]
    assert table[3].split() == ["filter", "filter_mod", "success", "1,200", "7", "-", "0.50"]
    assert table[4].split() == ["report", "log_row", "failed", "-", "-", "-", "-"]
    assert len({len(line) for line in table[:3]}) == 1, "columns are aligned"
    assert table[2].index("1,200") + len("1,200") == table[0].index("rows out") + len("rows out")
    assert table[5] == "job sample_etl: failed in 1.23s (3 nodes: 2 success, 1 failed)"
