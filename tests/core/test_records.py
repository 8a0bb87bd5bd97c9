"""Run records (SPEC §8): log.jsonl, summary.json, the console, and secrets kept out of them."""

from __future__ import annotations

import io
import json
import re
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from pypeline.run.observe.recorder import RunRecorder
from pypeline.run.observe.redact import Redactor

SECRET = "s3cr3t-pa$$"


def read_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def recorder(tmp_path: Path, console: str = "quiet", **kw: Any) -> closing[RunRecorder]:
    return closing(RunRecorder("sample_etl", "r1", tmp_path / "runs" / "r1", console=console, **kw))


def test_each_event_is_one_json_line_with_required_keys(tmp_path: Path) -> None:
    with recorder(tmp_path) as rec:
        rec.event("job_start")
        rec.event("module_end", node_id="src", status="success", rows_out=7, error=None)
        assert len(read_lines(rec.log_path)) == 2, "each line is on disk before close"
    lines = read_lines(tmp_path / "runs" / "r1" / "log.jsonl")
    assert [line["event"] for line in lines] == ["job_start", "module_end"]
    for line in lines:
        assert list(line)[:5] == ["ts", "level", "event", "job", "run_id"]
        assert (line["job"], line["run_id"], line["level"]) == ("sample_etl", "r1", "INFO")
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", line["ts"])
    assert lines[1]["rows_out"] == 7
    assert "error" not in lines[1]


def test_a_resumed_run_appends_to_the_same_log(tmp_path: Path) -> None:
    with recorder(tmp_path) as first:
        first.event("job_start")
    with recorder(tmp_path) as second:
        second.event("job_start", message="resumed")
    lines = read_lines(tmp_path / "runs" / "r1" / "log.jsonl")
    assert len(lines) == 2
    assert lines[1]["message"] == "resumed"


def test_secrets_never_reach_the_log_file_or_console(tmp_path: Path) -> None:
    redactor = Redactor()
    redactor.add(SECRET)
    stream = io.StringIO()
    log_file = tmp_path / "extra" / "pype.log"
    error = f"login failed for password {SECRET}"
    with recorder(tmp_path, "json", redactor=redactor, stream=stream, log_file=log_file) as rec:
        rec.event("module_end", "ERROR", error=error, details={"dsn": f"x:{SECRET}@h"})
    for text in (rec.log_path.read_text(), log_file.read_text(), stream.getvalue()):
        assert SECRET not in text
        assert "***" in text
    line = read_lines(log_file)[0]
    assert line["error"] == "login failed for password ***"
    assert line["details"] == {"dsn": "x:***@h"}


def test_redactor_masks_escaped_and_stripped_forms_but_not_tiny_values() -> None:
    redactor = Redactor()
    redactor.add('quo"te\n')
    redactor.add("ab")
    redactor.add("")
    assert redactor('value quo"te here') == "value *** here"
    assert redactor(repr(ValueError('quo"te\n'))) == "ValueError('***')"
    assert redactor("ab cd") == "ab cd"


def test_console_mode_shows_readable_progress_and_errors(tmp_path: Path) -> None:
    stream = io.StringIO()
    with recorder(tmp_path, "console", stream=stream) as rec:
        rec.event("subflow_start", sub_flow="sf_source_csv")
        rec.event("module_start", node_id="source_csv")
        rec.event("module_end", node_id="source_csv", status="success", rows_out=7, duration_s=0.01)
        rec.event("module_end", level="ERROR", node_id="load", status="failed", error="boom")
        rec.event("subflow_skipped", sub_flow="sf_report")
        rec.event("spill", message="spill to parquet at /tmp/x.parquet", rows=1001)
        rec.event("checkpoint", level="WARNING", message="disk full")
    lines = stream.getvalue().splitlines()
    bodies = [line.split(" ", 1)[1] for line in lines]
    assert all(re.match(r"\d\d:\d\d:\d\d ", line) for line in lines)
    assert bodies == [
        "▶ subflow sf_source_csv",
        "✓ source_csv  rows out 7  0.01s",
        "✗ load  error: boom",
        "⤼ skipped subflow sf_report",
        "⇣ spill to parquet at /tmp/x.parquet (1,001 rows)",
        "! WARNING checkpoint: disk full",
    ]


def test_quiet_console_prints_nothing_but_still_logs(tmp_path: Path) -> None:
    stream = io.StringIO()
    with recorder(tmp_path, "quiet", stream=stream) as rec:
        rec.event("module_end", level="ERROR", node_id="x", status="failed", error="bad")
    assert stream.getvalue() == ""
    assert read_lines(rec.log_path)[0]["error"] == "bad"


def test_module_logger_lines_become_log_events(tmp_path: Path) -> None:
    redactor = Redactor([SECRET])
    stream = io.StringIO()
    with recorder(tmp_path, "console", stream=stream, redactor=redactor) as rec:
        log = rec.logger_for("log_row#2", module="log_row", iter_index=2)
        log.info("row %s", {"id": 1})
        log.warning("token %s", SECRET)
        log.debug("not recorded")
    lines = read_lines(rec.log_path)
    assert [(line["event"], line["level"], line["message"]) for line in lines] == [
        ("log", "INFO", "row {'id': 1}"),
        ("log", "WARNING", "token ***"),
    ]
    assert lines[0]["node_id"] == "log_row#2"
    assert (lines[0]["module"], lines[0]["iter_index"]) == ("log_row", 2)
    assert "WARNING log_row#2: token ***" in stream.getvalue()
    log.info("after close")
    assert len(read_lines(rec.log_path)) == 2


def test_unknown_console_mode_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="console must be one of"):
        recorder(tmp_path, "fancy")
