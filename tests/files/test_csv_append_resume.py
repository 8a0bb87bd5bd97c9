"""An append-mode csv_sink under resume: a re-run iteration replaces its part, never repeats it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from pypeline_files.csv_write import CsvWriteOptions, write_csv_pandas
from pypeline_files.paths import locate

FLOW = """\
flow: {name: appender}
modules:
  - {id: items, name: fixed_rows, configs: {required: {rows: [0, 1, 2]}}}
  - {id: rows, name: csv_source, configs: {required: {file_path: "in/{{ iter.item }}.csv"}}}
  - {id: out, name: csv_sink, configs: {required: {output_path: out/all.csv}, optional: {mode: append}}}
  - {id: check, name: filter_mod, configs: {required: {condition: "i >= 0"}}}
  - {id: show, name: log_row}
connections:
  data: ["rows.data - out.input", "rows.data - check.input", "check.output - show.input"]
  control: ["items (1|) iterate rows"]
"""


def test_same_part_twice_in_one_run_is_written_once(tmp_path: Path) -> None:
    target = locate(str(tmp_path / "all.csv"))
    frame = pd.DataFrame({"i": [1, 2]})
    options = CsvWriteOptions(append=True, part=("run-1", "out#0"))
    write_csv_pandas(frame, target, options)
    write_csv_pandas(
        frame.assign(i=[3, 4]), target, CsvWriteOptions(append=True, part=("run-1", "out#1"))
    )
    write_csv_pandas(
        frame.assign(i=[5, 6]), target, CsvWriteOptions(append=True, part=("run-1", "out#1"))
    )
    assert pd.read_csv(tmp_path / "all.csv").i.tolist() == [1, 2, 5, 6]
    write_csv_pandas(frame, target, CsvWriteOptions(append=True, part=("run-2", "out#0")))
    assert pd.read_csv(tmp_path / "all.csv").i.tolist() == [1, 2, 5, 6, 1, 2]


def test_resumed_loop_appends_each_iteration_once(pype: Any, tmp_path: Path) -> None:
    """Iteration 1's file lacks the column `check` filters on: its rows are appended, then its
    sub flow fails. Fixed, the job resumes (with the same --set values, SPEC §6)."""
    (tmp_path / "flow.yaml").write_text(FLOW, encoding="utf-8")
    (tmp_path / "in").mkdir()
    for item, column in [(0, "i"), (1, "wrong"), (2, "i")]:
        (tmp_path / "in" / f"{item}.csv").write_text(f"{column}\n{item}\n{item}\n")
    crashed = pype("run", "flow.yaml")
    assert crashed.code == 1
    # iteration 1 appended its rows, then its sub flow failed: not checkpointed
    assert pd.read_csv(tmp_path / "out" / "all.csv").i.tolist() == [0, 0, 1, 1]
    (tmp_path / "in" / "1.csv").write_text("i\n1\n1\n")
    resumed = pype("run", "flow.yaml", "--resume")
    assert resumed.code == 0, resumed.output
    assert pd.read_csv(tmp_path / "out" / "all.csv").i.tolist() == [0, 0, 1, 1, 2, 2]
