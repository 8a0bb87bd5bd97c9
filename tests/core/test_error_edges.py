"""Error edges, fail strategies and retries, as ``log.jsonl`` tells them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from pypeline.testing import FlowRun

RunFlow = Callable[..., FlowRun]


def _t(event: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(event["ts"].replace("Z", "+00:00"))


def _logs(run: FlowRun) -> list[str]:
    return [e["message"] for e in run.of("log")]


ERROR_FLOW = """
flow: {{name: on_error}}
settings: {{fail_strategy: {strategy}}}
context:
  default: {{broken: false}}
modules:
  - {{id: risky, name: warn, configs: {{required: {{message: risky}}}}}}
  - {{id: boom, name: fail, configs: {{optional: {{message: "it broke"}}}}}}
  - {{id: cleanup, name: warn, configs: {{required: {{message: "cleanup after {{{{ boom__error }}}}"}}}}}}
  - {{id: next, name: warn, configs: {{required: {{message: next}}}}}}
  - {{id: other_root, name: warn, configs: {{required: {{message: other}}}}}}
connections:
  control:
    - "risky (1|context.broken) boom"
    - "boom (1|) error cleanup"
    - "boom (2|) next"
"""


def test_error_edge_fires_only_on_failure(pypeline_flow: RunFlow) -> None:
    ok = pypeline_flow(ERROR_FLOW.format(strategy="halt"))
    assert ok.node("boom")["status"] == "skipped"
    assert ok.node("cleanup")["status"] == "skipped"
    failed = pypeline_flow(ERROR_FLOW.format(strategy="halt"), overrides=("broken=true",))
    assert failed.exit_code == 1
    assert failed.node("cleanup")["status"] == "success"
    assert "cleanup after it broke" in _logs(failed)


def test_halt_stops_new_work_but_continue_goes_on(pypeline_flow: RunFlow) -> None:
    halt = pypeline_flow(ERROR_FLOW.format(strategy="halt"), overrides=("broken=true",))
    assert halt.node("next")["status"] == "skipped"
    assert halt.node("other_root")["status"] == "skipped"
    assert halt.summary["status"] == "failed"
    cont = pypeline_flow(ERROR_FLOW.format(strategy="continue"), overrides=("broken=true",))
    assert cont.exit_code == 1
    assert cont.node("next")["status"] == "skipped"  # depends on the failure
    assert cont.node("other_root")["status"] == "success"  # does not


def test_retries_then_success(pypeline_flow: RunFlow, tmp_path: Path) -> None:
    run = pypeline_flow(
        f"""
flow: {{name: retry_ok}}
settings: {{retries: 2, retry_delay: 0.05}}
modules:
  - {{id: api, name: flaky, configs: {{required: {{trace_dir: "{tmp_path}"}}, optional: {{failures: 2}}}}}}
"""
    )
    assert run.exit_code == 0
    retries = run.of("retry")
    assert [e["message"] for e in retries] == [
        "attempt 2 of 3 in 0.05s",
        "attempt 3 of 3 in 0.1s",
    ]
    statuses = [e["status"] for e in run.of("module_end")]
    assert statuses == ["failed", "failed", "success"]
    trace = (tmp_path / "trace.txt").read_text().split()
    assert trace == ["setup", "run", "run", "run", "teardown"]


def test_retries_exhausted_fails_with_the_last_error(
    pypeline_flow: RunFlow, tmp_path: Path
) -> None:
    run = pypeline_flow(
        f"""
flow: {{name: retry_ko}}
settings: {{retries: 1, retry_delay: 0}}
modules:
  - {{id: api, name: flaky, configs: {{required: {{trace_dir: "{tmp_path}"}}, optional: {{failures: 5}}}}}}
"""
    )
    assert run.exit_code == 1
    assert len(run.of("retry")) == 1
    assert run.node("api")["error"] == "flaky: failure 2 of 5"
