"""``pype run`` exit codes, run records and error lines (SPEC §7, §8), through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pypeline.testing import only_run_dir, read_events

FLOW = """\
flow: {name: ends}
context:
  default: {who: world}
  prod: {who: production}
settings: {timeout: 30}
modules:
  - {id: hello, name: warn, configs: {required: {message: "hello {{ context.who }}"}}}
  - {id: stop, name: fail, configs: {optional: {message: "stopped on purpose"}}}
  - {id: after, name: warn, configs: {required: {message: after}}}
connections:
  control:
    - "hello (1|context.who == 'nobody') stop"
    - "hello (2|) after"
"""


def _write(tmp_path: Path, text: str = FLOW) -> None:
    (tmp_path / "flow.yaml").write_text(text, encoding="utf-8")


def test_success_exits_0_and_writes_log_and_summary(pype: Any, tmp_path: Path) -> None:
    _write(tmp_path)
    result = pype("run", "flow.yaml")
    assert result.code == 0, result.output
    run_dir = only_run_dir(tmp_path / "jobs" / "ends")
    events = read_events(run_dir)
    assert events[0]["event"] == "job_start"
    assert events[-1]["event"] == "job_end" and events[-1]["status"] == "success"
    for event in events:
        assert {"ts", "level", "event", "job", "run_id"} <= set(event)
        assert event["run_id"] == run_dir.name and event["job"] == "ends"
    summary = json.loads((run_dir / "summary.json").read_text())
    assert summary["status"] == "success"
    assert summary["nodes"]["hello"]["status"] == "success"
    assert summary["nodes"]["stop"]["status"] == "skipped"
    # the console table names every node
    assert "hello" in result.out and "job ends: success" in result.out


def test_a_failing_module_exits_1_with_its_error(pype: Any, tmp_path: Path) -> None:
    _write(tmp_path)
    result = pype("run", "flow.yaml", "--set", "who=nobody", "--log-format", "json")
    assert result.code == 1
    run_dir = only_run_dir(tmp_path / "jobs" / "ends")
    ends = [e for e in read_events(run_dir) if e["event"] == "module_end"]
    failed = next(e for e in ends if e["node_id"] == "stop")
    assert failed["status"] == "failed" and failed["error"] == "stopped on purpose"
    summary = json.loads((run_dir / "summary.json").read_text())
    assert summary["status"] == "failed"
    # halt: nothing new starts after the failure
    assert summary["nodes"]["after"]["status"] == "skipped"
    assert "Traceback" not in result.output
    # json console format: every stderr line is a JSON object
    assert all(json.loads(line)["event"] for line in result.err.splitlines() if line)


def test_continue_runs_what_does_not_depend_on_the_failure(pype: Any, tmp_path: Path) -> None:
    _write(tmp_path, FLOW.replace("settings: {timeout: 30}", "settings: {fail_strategy: continue}"))
    result = pype("run", "flow.yaml", "--set", "who=nobody")
    assert result.code == 1
    summary = json.loads((only_run_dir(tmp_path / "jobs" / "ends") / "summary.json").read_text())
    assert summary["nodes"]["after"]["status"] == "success"


def test_context_option_picks_the_context(pype: Any, tmp_path: Path) -> None:
    _write(tmp_path)
    assert pype("run", "flow.yaml", "--context", "prod").code == 0
    events = read_events(only_run_dir(tmp_path / "jobs" / "ends"))
    assert [e["message"] for e in events if e["event"] == "log"] == ["hello production", "after"]


def test_unknown_context_and_unknown_variable_exit_2(pype: Any, tmp_path: Path) -> None:
    _write(tmp_path)
    result = pype("run", "flow.yaml", "--context", "qa")
    assert result.code == 2
    assert result.err.splitlines()[0] == "error: unknown context 'qa'"
    assert "contexts of ends: default, prod" in result.err
    result = pype("run", "flow.yaml", "--set", "whom=x")
    assert result.code == 2
    assert "error: --set whom: no such variable in context 'default'" in result.err


def test_job_timeout_exits_1(pype: Any, tmp_path: Path) -> None:
    _write(
        tmp_path,
        "flow: {name: slow}\nsettings: {timeout: 0.3}\nmodules:\n"
        "  - {id: nap, name: sleep, configs: {required: {seconds: 5}}}\n",
    )
    result = pype("run", "flow.yaml")
    assert result.code == 1
    summary = json.loads((only_run_dir(tmp_path / "jobs" / "slow") / "summary.json").read_text())
    assert summary["error"] == "job timed out after 0.3s"


def test_run_of_a_missing_target_exits_2(pype: Any) -> None:
    result = pype("run", "nowhere")
    assert result.code == 2
    assert result.err.startswith("error: no such job folder or flow file: nowhere")


def test_run_of_a_built_job_folder(pype: Any, tmp_path: Path) -> None:
    _write(tmp_path)
    assert pype("build", "flow.yaml", "-o", "out").code == 0
    result = pype("run", "out/ends")
    assert result.code == 0, result.output
    assert (tmp_path / "out" / "ends" / "runs").is_dir()


def test_threads_option_and_env(pype: Any, tmp_path: Path) -> None:
    _write(tmp_path)
    assert pype("run", "flow.yaml", "--threads", "3").code == 0
    events = read_events(only_run_dir(tmp_path / "jobs" / "ends"))
    assert "3 threads" in events[0]["message"]
    result = pype("run", "flow.yaml", env={"PYPELINE_THREADS": "zero"})
    assert result.code == 2
    assert "threads from PYPELINE_THREADS must be int, not 'zero'" in result.err
