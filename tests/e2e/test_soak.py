"""Soak (issue 10): a long ITERATE loop, watched from outside the process by ``bench/soak.py``.

Open file descriptors and threads stay flat, memory grows only by the small per-iteration
records a run keeps (node records, per-frame globals), every row arrives, and no temporary
outlives the run. 10,000 iterations are the bench's figure (``bench/README.md``); CI runs a
shorter loop with the same watcher.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "soak.py"
ITERATIONS = 1500


def test_a_long_loop_keeps_fds_threads_and_memory_flat() -> None:
    proc = subprocess.run(
        [sys.executable, str(BENCH), "--iterations", str(ITERATIONS), "--json"],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["exit_code"] == 0
    assert result["csv_rows"] == 2 * ITERATIONS  # every row of every iteration arrived
    assert result["leftover_temporaries"] == []
    assert result["samples"] >= 10
    assert result["fds_last"] <= result["fds_first"] + 2, result
    assert result["threads_last"] <= result["threads_first"], result
    growth_kib = result["rss_kib_last"] - result["rss_kib_first"]
    per_iteration = growth_kib / (ITERATIONS * 0.75)
    assert per_iteration < 40, f"{per_iteration:.1f} KiB per iteration: {result}"
