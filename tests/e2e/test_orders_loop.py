"""The Talend-style loop example: one clean and one reject file per input, a report on rejects."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pandas as pd

from pypeline.testing import read_events

REPO = Path(__file__).resolve().parents[2]
FLOW = "examples/orders_loop/orders_loop.yaml"


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "examples" / "orders_loop", tmp_path / "examples" / "orders_loop")
    shutil.rmtree(tmp_path / "examples" / "orders_loop" / "output", ignore_errors=True)
    return tmp_path / "examples" / "orders_loop"


def _last_run(tmp_path: Path) -> Path:
    return sorted((tmp_path / "jobs" / "orders_loop" / "runs").iterdir())[-1]


def test_loop_writes_one_output_per_input_and_reports_rejects(pype: Any, tmp_path: Path) -> None:
    example = _copy(tmp_path)
    result = pype("run", FLOW)
    assert result.code == 0, result.output
    for source in sorted((example / "data").glob("orders_*.csv")):
        frame = pd.read_csv(source)
        good = (frame.amount > 0) & frame.customer.notna()
        clean = pd.read_csv(example / "output" / f"clean_{source.name}")
        rejects = pd.read_csv(example / "output" / f"rejects_{source.name}")
        assert clean.order_id.tolist() == frame[good].order_id.tolist()
        assert rejects.order_id.tolist() == frame[~good].order_id.tolist()
        assert (rejects.error_message.str.startswith("condition not met")).all()
    events = read_events(_last_run(tmp_path))
    reads = [
        e["node_id"] for e in events if e["event"] == "module_end" and e["module"] == "csv_source"
    ]
    assert reads == ["read#0", "read#1", "read#2"]
    report = [e["message"] for e in events if e["event"] == "log" and e["node_id"] == "report"]
    assert report == ["3 rows rejected in 3 files"]


def test_report_is_skipped_when_nothing_is_rejected(pype: Any, tmp_path: Path) -> None:
    example = _copy(tmp_path)
    clean_dir = example / "clean_only"
    clean_dir.mkdir()
    (clean_dir / "orders_a.csv").write_text("order_id,customer,amount\n1,Ada,10\n2,Ken,20\n")
    result = pype("run", FLOW, "--set", "in_dir=examples/orders_loop/clean_only")
    assert result.code == 0, result.output
    events = read_events(_last_run(tmp_path))
    skipped = [e for e in events if e["event"] == "subflow_skipped"]
    assert [e["sub_flow"] for e in skipped] == ["sf_report"]


def test_strict_context_inherits_default_and_raises_the_bar(pype: Any, tmp_path: Path) -> None:
    example = _copy(tmp_path)
    result = pype("run", FLOW, "--context", "strict")
    assert result.code == 0, result.output
    clean = pd.read_csv(example / "output" / "clean_orders_jan.csv")
    assert clean.order_id.tolist() == [1]  # only 120.50 > 100
