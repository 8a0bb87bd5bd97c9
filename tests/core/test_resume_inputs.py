"""A resumed run keeps the context and ``--set`` values of the run it continues (SPEC §6):
plain ``--resume`` reuses them, other ones are refused (exit 2) so no output mixes two inputs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FLOW = """\
flow: {name: tagged}
context:
  default: {tag: none, n: 1}
  prod: {tag: prod}
modules:
  - {id: first, name: warn, configs: {required: {message: "first {{ context.tag }} {{ context.n }}"}}}
  - {id: boom, name: flaky, configs: {required: {trace_dir: trace}}}
  - {id: last, name: warn, configs: {required: {message: "last {{ context.tag }} {{ context.n }}"}}}
connections:
  control: ["first (1|) boom", "boom (1|) last"]
"""


def _messages(run_dir: Path) -> list[str]:
    lines = (run_dir / "log.jsonl").read_text().splitlines()
    return [e["message"] for e in map(json.loads, lines) if e["event"] == "log"]


def _failed_first(pype: Any, tmp_path: Path, *args: str) -> Path:
    (tmp_path / "flow.yaml").write_text(FLOW, encoding="utf-8")
    assert pype("run", "flow.yaml", *args).code == 1  # flaky fails its first run
    (run_dir,) = (tmp_path / "jobs" / "tagged" / "runs").iterdir()
    return run_dir


def test_plain_resume_reuses_the_set_values(pype: Any, tmp_path: Path) -> None:
    run_dir = _failed_first(pype, tmp_path, "--set", "tag=a", "--set", "n=2")
    resumed = pype("run", "flow.yaml", "--resume")
    assert resumed.code == 0, resumed.err
    assert _messages(run_dir) == ["first a 2", "last a 2"]
    summary = json.loads((run_dir / "summary.json").read_text())
    assert summary["context"] == "default" and summary["overrides"] == {"tag": "a", "n": "2"}


def test_resume_with_the_same_values_given_again_is_fine(pype: Any, tmp_path: Path) -> None:
    _failed_first(pype, tmp_path, "--set", "tag=a", "--set", "n=2")
    resumed = pype("run", "flow.yaml", "--resume", "--set", "n=2", "--set", "tag=a")
    assert resumed.code == 0, resumed.err


def test_resume_with_other_set_values_is_refused(pype: Any, tmp_path: Path) -> None:
    run_dir = _failed_first(pype, tmp_path, "--set", "tag=a")
    for args in (("--set", "tag=b"), ("--set", "tag=a", "--set", "n=5"), ("--context", "prod")):
        refused = pype("run", "flow.yaml", "--resume", *args)
        assert refused.code == 2, (args, refused.err)
        first = refused.err.splitlines()[0]
        assert first.startswith(f"error: run {run_dir.name} was started with context 'default'")
        assert "--set tag=a" in first and "would mix two inputs" in first
        assert "hint: resume with the same values" in refused.err
    assert _messages(run_dir) == ["first a 1"]  # nothing ran in the refused attempts


def test_resume_of_another_context_is_refused_and_the_same_one_resumes(
    pype: Any, tmp_path: Path
) -> None:
    run_dir = _failed_first(pype, tmp_path, "--context", "prod")
    refused = pype("run", "flow.yaml", "--resume", "--context", "default")
    assert refused.code == 2 and "context 'prod'" in refused.err
    resumed = pype("run", "flow.yaml", "--resume", "--context", "prod")
    assert resumed.code == 0, resumed.err
    assert _messages(run_dir) == ["first prod 1", "last prod 1"]


def test_bad_set_is_refused_before_anything_is_written(pype: Any, tmp_path: Path) -> None:
    run_dir = _failed_first(pype, tmp_path, "--set", "tag=a")
    bad = pype("run", "flow.yaml", "--resume", "--set", "nope=1")
    assert bad.code == 2 and "--set nope: no such variable" in bad.err
    assert _messages(run_dir) == ["first a 1"]
