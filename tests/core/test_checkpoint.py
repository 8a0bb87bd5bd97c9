"""Checkpoint and resume through the real CLI: refusal, --resume, --fresh, cleanup, off."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pypeline.testing import only_run_dir, read_events

LOOP = """\
flow: {name: loop}
context:
  default: {crash: false}
modules:
  - {id: items, name: fixed_rows, configs: {required: {rows: [1, 2, 3, 4, 5]}}}
  - {id: say, name: warn, configs: {required: {message: "item {{ iter.item }}"}}}
  - {id: boom, name: flaky, configs: {required: {trace_dir: trace}}}
  - {id: after, name: warn, configs: {required: {message: "after {{ each('say__message') | length }}"}}}
connections:
  control:
    - "items (1|) iterate say"
    - "say (1|context.crash and iter.item == 3) boom"
    - "items (2|) after"
"""


def _write(tmp_path: Path, text: str = LOOP) -> None:
    (tmp_path / "flow.yaml").write_text(text, encoding="utf-8")


def _summary(run_dir: Path) -> dict[str, Any]:
    return dict(json.loads((run_dir / "summary.json").read_text()))


def test_success_leaves_no_checkpoint(pype: Any, tmp_path: Path) -> None:
    _write(tmp_path)
    assert pype("run", "flow.yaml").code == 0
    assert not (tmp_path / "jobs" / "loop" / "checkpoints").exists()


def test_resume_mid_iteration_restores_done_items_and_runs_the_rest(
    pype: Any, tmp_path: Path
) -> None:
    _write(tmp_path)
    first = pype("run", "flow.yaml", "--set", "crash=true")
    assert first.code == 1
    job = tmp_path / "jobs" / "loop"
    assert (job / "checkpoints" / "journal.jsonl").is_file()
    run_dir = only_run_dir(job)
    said = [e["message"] for e in read_events(run_dir) if e["event"] == "log"]
    assert said == ["item 1", "item 2", "item 3"]

    refused = pype("run", "flow.yaml")
    assert refused.code == 2
    assert f"error: run {run_dir.name} of this job failed" in refused.err
    assert "--resume" in refused.err and "--fresh" in refused.err

    resumed = pype("run", "flow.yaml", "--resume")
    assert resumed.code == 0, resumed.output
    assert only_run_dir(job) == run_dir  # same run id, same folder: the log continues
    events = read_events(run_dir)
    starts = [e["event"] for e in events].count("job_start")
    assert starts == 2
    second = events[[i for i, e in enumerate(events) if e["event"] == "job_start"][1] :]
    ran = [e["node_id"] for e in second if e["event"] == "module_end"]
    # items, say#0..#2 were not run again; boom#2 (it failed) was, with the same --set values
    assert ran == ["boom#2", "say#3", "say#4", "after"]
    restored = [
        (e["sub_flow"], e.get("iter_index")) for e in second if e.get("status") == "restored"
    ]
    assert restored == [("sf_items", None), ("sf_say", 0), ("sf_say", 1), ("sf_say", 2)]
    assert [e["message"] for e in second if e["event"] == "log"] == [
        "item 4",
        "item 5",
        "after 5",  # globals of restored iterations came back
    ]
    summary = _summary(run_dir)
    assert summary["status"] == "success"
    assert summary["nodes"]["say#1"]["status"] == "restored"
    assert summary["nodes"]["say#4"]["status"] == "success"
    assert not (job / "checkpoints").exists()


def test_changed_flow_refuses_resume_until_fresh(pype: Any, tmp_path: Path) -> None:
    _write(tmp_path)
    assert pype("run", "flow.yaml", "--set", "crash=true").code == 1
    _write(tmp_path, LOOP.replace("item {{ iter.item }}", "row {{ iter.item }}"))
    refused = pype("run", "flow.yaml", "--resume")
    assert refused.code == 2
    assert "the flow has changed since" in refused.err
    assert "--fresh" in refused.err
    fresh = pype("run", "flow.yaml", "--fresh")
    assert fresh.code == 0, fresh.output
    runs = sorted((tmp_path / "jobs" / "loop" / "runs").iterdir())
    assert len(runs) == 2  # --fresh is a new run
    assert next(e["message"] for e in read_events(runs[-1]) if e["event"] == "log") == "row 1"


def test_resume_without_a_checkpoint_starts_fresh(pype: Any, tmp_path: Path) -> None:
    _write(tmp_path)
    result = pype("run", "flow.yaml", "--resume")
    assert result.code == 0, result.output


def test_resume_and_fresh_together_is_bad_usage(pype: Any, tmp_path: Path) -> None:
    _write(tmp_path)
    result = pype("run", "flow.yaml", "--resume", "--fresh")
    assert result.code == 2
    assert "contradict" in result.err


def test_checkpoint_off_writes_nothing_and_never_refuses(pype: Any, tmp_path: Path) -> None:
    _write(
        tmp_path,
        LOOP.replace("flow: {name: loop}", "flow: {name: loop}\nsettings: {checkpoint: false}"),
    )
    assert pype("run", "flow.yaml", "--set", "crash=true").code == 1
    assert not (tmp_path / "jobs" / "loop" / "checkpoints").exists()
    again = pype("run", "flow.yaml")
    assert again.code == 0, again.output


def test_journal_records_every_finished_subflow_with_a_checkpoint_event(
    pype: Any, tmp_path: Path
) -> None:
    _write(tmp_path)
    assert pype("run", "flow.yaml", "--set", "crash=true").code == 1
    job = tmp_path / "jobs" / "loop"
    lines = (job / "checkpoints" / "journal.jsonl").read_text().splitlines()
    records = [json.loads(line) for line in lines]
    assert records[0]["kind"] == "header"
    assert records[0]["context"] == "default" and records[0]["overrides"] == {"crash": "true"}
    assert records[-1] == {"kind": "ended", "run_id": records[0]["run_id"], "status": "failed"}
    assert [(r["sub"], r["frame"]) for r in records[1:-1]] == [
        ("sf_items", []),
        ("sf_say", [0]),
        ("sf_say", [1]),
        ("sf_say", [2]),
    ]
    assert records[1]["items"] == [1, 2, 3, 4, 5]
    checkpoints = [e for e in read_events(only_run_dir(job)) if e["event"] == "checkpoint"]
    assert len(checkpoints) == 4


def test_a_torn_last_journal_line_is_ignored(pype: Any, tmp_path: Path) -> None:
    _write(tmp_path)
    assert pype("run", "flow.yaml", "--set", "crash=true").code == 1
    journal = tmp_path / "jobs" / "loop" / "checkpoints" / "journal.jsonl"
    with journal.open("a") as out:
        out.write('{"kind": "subflow", "sub": "sf_say", "fra')  # power cut mid-write
    resumed = pype("run", "flow.yaml", "--resume")
    assert resumed.code == 0, resumed.output
