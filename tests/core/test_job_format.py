"""The job folder's format is defined once (``pypeline.shared.jobfolder``) and versioned: a folder
written in another format is refused with exit 2 and a rebuild hint, before anything runs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pypeline.shared.jobfolder.jobfolder import FORMAT_VERSION, load_job

FLOW = """\
flow: {name: fmt}
modules:
  - {id: rows, name: fixed_rows, configs: {required: {rows: [{n: 1}, {n: 2}]}}}
  - {id: show, name: log_row}
  - {id: done, name: warn, configs: {required: {message: done}}}
connections:
  data: ["rows.data - show.input"]
  control: ["rows (1) done"]
"""


def _build(pype: Any, tmp_path: Path) -> Path:
    (tmp_path / "flow.yaml").write_text(FLOW, encoding="utf-8")
    assert pype("build", "flow.yaml").code == 0
    return tmp_path / "jobs" / "fmt"


def _metadata(job: Path) -> Path:
    return job / "fmt_execution_metadata.json"


def test_a_built_job_says_its_format_and_reads_back_whole(pype: Any, tmp_path: Path) -> None:
    job = _build(pype, tmp_path)
    meta = json.loads(_metadata(job).read_text(encoding="utf-8"))
    assert meta["format_version"] == FORMAT_VERSION
    loaded = load_job(job)
    assert sorted(loaded.nodes) == ["done", "rows", "show"]
    assert [(e.src, e.dst, e.order) for e in loaded.control_edges] == [("rows", "done", 1)]
    assert loaded.subflow_of["show"] == loaded.subflow_of["rows"]
    assert loaded.subflow_of["done"] != loaded.subflow_of["rows"]
    assert loaded.flow_sha256 == meta["flow_sha256"]


@pytest.mark.parametrize(
    ("version", "said"),
    [(None, "unknown"), (0, "0"), (FORMAT_VERSION + 1, str(FORMAT_VERSION + 1)), ("1", "1")],
)
def test_a_job_of_another_format_is_refused_with_a_rebuild_hint(
    pype: Any, tmp_path: Path, version: Any, said: str
) -> None:
    job = _build(pype, tmp_path)
    meta = json.loads(_metadata(job).read_text(encoding="utf-8"))
    if version is None:
        del meta["format_version"]
    else:
        meta["format_version"] = version
    _metadata(job).write_text(json.dumps(meta), encoding="utf-8")
    for command in (("run", "jobs/fmt"), ("graph", "jobs/fmt")):
        result = pype(*command)
        assert result.code == 2, (command, result.err)
        first, *rest = result.err.splitlines()
        assert first.startswith("error: job folder jobs/fmt was built by pypeline-core "), first
        assert f"in job format {said}; this PYpeline runs job format {FORMAT_VERSION}" in first
        assert rest == [
            "  hint: rebuild it: pype build FLOW.yaml (its runs/ and checkpoints/ are kept)"
        ]
    assert not (job / "runs").exists() and not (job / "checkpoints").exists()
    assert pype("build", "flow.yaml").code == 0  # the hint's command mends it
    assert pype("run", "jobs/fmt").code == 0
