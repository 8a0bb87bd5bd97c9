"""A job folder whose module class cannot be imported (its pack is not installed here, or the
path was edited): that module fails, exit 1, one line naming the class, no traceback. The
runtime imports classes with the same function the local registry uses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

FLOW = """\
flow: {name: moved}
modules:
  - {id: rows, name: fixed_rows, configs: {required: {rows: [{a: 1}]}}}
  - {id: show, name: log_row}
connections:
  data: ["rows.data - show.input"]
"""


@pytest.mark.parametrize(
    ("module_path", "message"),
    [
        ("nowhere_at_all.mods:Thing", "cannot import nowhere_at_all.mods:Thing"),
        ("pypeline.sdk.base:MODULE_TYPES", "is not a BaseModule subclass"),
    ],
)
def test_a_job_whose_module_cannot_be_imported_fails_that_module(
    pype: Any, tmp_path: Path, module_path: str, message: str
) -> None:
    (tmp_path / "flow.yaml").write_text(FLOW, encoding="utf-8")
    assert pype("build", "flow.yaml").code == 0
    dag_file = tmp_path / "jobs" / "moved" / "moved_dag.json"
    dag = json.loads(dag_file.read_text(encoding="utf-8"))
    dag["nodes"][1]["module_path"] = module_path
    dag_file.write_text(json.dumps(dag), encoding="utf-8")
    result = pype("run", "jobs/moved")
    assert result.code == 1, result.err
    failed = [line for line in result.err.splitlines() if "✗ show" in line]
    assert len(failed) == 1 and message in failed[0]
    assert "Traceback" not in result.err
