"""An append-mode csv_sink under resume: a re-run iteration replaces its part, never repeats it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from pypeline_files.csv_write import CsvWriteOptions, write_csv_pandas
from pypeline_files.paths import locate

FLOW = """\
flow: {name: appender}
context:
  default: {crash: false}
modules:
  - {id: items, name: fixed_rows, configs: {required: {rows: [0, 1, 2]}}}
  - {id: rows, name: fixed_rows, configs: {required: {rows: "{{ [{'i': iter.item}, {'i': iter.item}] }}"}}}
  - {id: out, name: csv_sink, configs: {required: {output_path: out/all.csv}, optional: {mode: append}}}
  - id: check
    name: filter_mod
    configs: {required: {condition: "{{ 'nope' if context.crash and iter.item == 1 else 'i' }} >= 0"}}
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
    (tmp_path / "flow.yaml").write_text(FLOW, encoding="utf-8")
    crashed = pype("run", "flow.yaml", "--set", "crash=true")
    assert crashed.code == 1
    # iteration 1 appended its rows, then its sub flow failed: not checkpointed
    assert pd.read_csv(tmp_path / "out" / "all.csv").i.tolist() == [0, 0, 1, 1]
    resumed = pype("run", "flow.yaml", "--resume")
    assert resumed.code == 0, resumed.output
    assert pd.read_csv(tmp_path / "out" / "all.csv").i.tolist() == [0, 0, 1, 1, 2, 2]
