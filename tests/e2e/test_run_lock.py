"""One run of a job at a time (SPEC §6), with real concurrent ``pype`` processes.

Each trial starts two runs of one job a seeded random few milliseconds apart: exactly one runs,
the other exits 2 naming the holder's pid and run id, and the append-mode output holds exactly
one run's rows. A killed holder frees the job at once (the OS drops the lock).
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pypeline.testing import run_pype

FLOW = """\
flow: {name: locked}
modules:
  - {id: rows, name: fixed_rows, configs: {required: {rows: [{n: 1}, {n: 2}, {n: 3}]}}}
  - {id: out, name: csv_sink, configs: {required: {output_path: out/rows.csv}, optional: {mode: append}}}
  - {id: pause, name: sleep, configs: {required: {seconds: 0.6}}}
connections:
  data: ["rows.data - out.input"]
  control: ["rows (1|) pause"]
"""


def _start(cwd: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "pypeline", "run", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture()
def job(tmp_path: Path) -> Path:
    (tmp_path / "flow.yaml").write_text(FLOW, encoding="utf-8")
    built = run_pype("build", "flow.yaml", cwd=tmp_path)
    assert built.code == 0, built.err
    return tmp_path / "jobs" / "locked"


@pytest.mark.parametrize("seed", range(8))
def test_two_runs_at_once_one_runs_the_other_is_refused(job: Path, seed: int) -> None:
    rng = random.Random(seed)
    cwd = job.parent.parent
    first = _start(cwd, str(job))
    time.sleep(rng.uniform(0.0, 0.25))
    target = "flow.yaml" if seed % 2 else str(job)  # a flow built on the fly is locked too
    second = _start(cwd, target)
    results = [(p.wait(60), *p.communicate()) for p in (first, second)]
    codes = sorted(code for code, _, _ in results)
    assert codes == [0, 2], results
    _, _, refused_err = next(r for r in results if r[0] == 2)
    assert "error: job locked is already running: pid " in refused_err
    match = re.search(r"pid (\d+)", refused_err)
    assert match and int(match.group(1)) in (first.pid, second.pid)
    assert "run 20" in refused_err or "run id not yet chosen" in refused_err
    assert refused_err.count("\n") <= 2  # one line and a hint, no traceback
    rows = (cwd / "out" / "rows.csv").read_text().splitlines()
    assert rows == ["n", "1", "2", "3"]  # one run's rows: nothing mixed, nothing torn
    runs = list((job / "runs").iterdir())
    assert len(runs) == 1  # the refused run wrote no records


def test_a_killed_run_frees_the_job_at_once(job: Path) -> None:
    cwd = job.parent.parent
    holder = _start(cwd, str(job))
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        info = (job / "run.lock").read_text() if (job / "run.lock").exists() else ""
        if '"run_id": "20' in info:
            break
        time.sleep(0.02)
    assert json.loads((job / "run.lock").read_text())["pid"] == holder.pid
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(10)
    again = run_pype("run", str(job), "--resume", cwd=cwd)
    assert again.code == 0, again.err
