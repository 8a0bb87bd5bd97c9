"""Ctrl-C: every module that was set up is torn down, the records say so, exit code 130."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from pypeline.testing import only_run_dir


def test_ctrl_c_tears_down_and_exits_130(tmp_path: Path) -> None:
    (tmp_path / "flow.yaml").write_text(
        f"""
flow: {{name: long_job}}
modules:
  - id: slow
    name: flaky
    configs: {{required: {{trace_dir: "{tmp_path}"}}, optional: {{failures: 0, seconds: 30}}}}
""",
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if k != "PYPELINE_DEBUG"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "pypeline", "run", "flow.yaml"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    trace = tmp_path / "trace.txt"
    deadline = time.monotonic() + 30
    while not (trace.exists() and "run" in trace.read_text().split()):
        assert time.monotonic() < deadline, "the module never started"
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 130, (out, err)
    assert "Traceback" not in err
    assert trace.read_text().split() == ["setup", "run", "teardown"]
    run_dir = only_run_dir(tmp_path / "jobs" / "long_job")
    summary = json.loads((run_dir / "summary.json").read_text())
    assert summary["status"] == "interrupted"
    last = json.loads((run_dir / "log.jsonl").read_text().splitlines()[-1])
    assert last["event"] == "job_end" and last["status"] == "interrupted"
