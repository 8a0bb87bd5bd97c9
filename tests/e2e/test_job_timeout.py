"""``settings.timeout`` bounds the whole run, blocking work included (issue 10, item 14).

A module blocked in a thread (a user function sleeping, a database query) cannot be killed
from Python: the engine tells it to stop (``ctx.on_cancel``: the SQL pack cancels its query),
records it failed with the reason, and the process exits without waiting for the thread.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest

from pypeline.testing import run_pype

SLOW_PY = """\
import time

def slow(df):
    time.sleep(30)
    return df
"""

PY_FLOW = """\
flow: {name: stuck}
settings: {timeout: 6}
modules:
  - {id: rows, name: fixed_rows, configs: {required: {rows: [{n: 1}]}}}
  - {id: hang, name: python_mod, configs: {required: {function: "slowfn:slow"}}}
  - {id: show, name: log_row}
connections:
  data: ["rows.data - hang.input", "hang.output - show.input"]
"""

PG_FLOW = """\
flow: {name: stuck_sql}
settings: {timeout: 6}
modules:
  - {id: q, name: sql_source, configs: {required: {url: "URL", query: "SELECT pg_sleep(30) AS s"}}}
  - {id: show, name: log_row}
connections:
  data: ["q.data - show.input"]
"""


def _run_failing_in_time(tmp_path: Path, flow: str, job: str) -> dict[str, Any]:
    """Run ``flow`` under its 6 s timeout: exit 1 well within bounds; the nodes' records."""
    (tmp_path / "flow.yaml").write_text(flow, encoding="utf-8")
    started = time.monotonic()
    result = run_pype("run", "flow.yaml", cwd=tmp_path)
    took = time.monotonic() - started
    assert result.code == 1, result.err
    assert took < 20, f"the run took {took:.1f}s under a 6s timeout"
    (run_dir,) = (tmp_path / "jobs" / job / "runs").iterdir()
    nodes: dict[str, Any] = json.loads((run_dir / "summary.json").read_text())["nodes"]
    return nodes


def test_a_blocked_user_function_does_not_outlive_the_timeout(tmp_path: Path) -> None:
    (tmp_path / "slowfn.py").write_text(SLOW_PY, encoding="utf-8")
    nodes = _run_failing_in_time(tmp_path, PY_FLOW, "stuck")
    assert nodes["hang"]["status"] == "failed"
    assert nodes["hang"]["error"] == "job timed out after 6s"
    assert nodes["show"]["status"] == "skipped"


@pytest.mark.skipif(not os.environ.get("PYPELINE_TEST_PG_URL"), reason="needs PostgreSQL")
def test_a_long_query_is_cancelled_at_the_timeout(tmp_path: Path) -> None:
    url = os.environ["PYPELINE_TEST_PG_URL"]
    nodes = _run_failing_in_time(tmp_path, PG_FLOW.replace("URL", url), "stuck_sql")
    assert nodes["q"]["status"] == "failed"
    assert "timed out after 6s" in str(nodes["q"]["error"])
