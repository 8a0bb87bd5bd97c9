"""Soak: a long ITERATE loop with real work per item, watched from outside the process.

Each iteration reads rows, filters them, writes a Parquet file (atomic, so a tracked temporary
each time), appends to a CSV, logs, and is checkpointed. A sampler reads ``/proc/<pid>`` every
0.2 s: resident memory, open file descriptors, threads. Leaks show as growth from the first
quarter of the loop to the end; the figures are printed (``--json`` for the e2e test that runs
a shorter loop). Usage: ``python bench/soak.py [--iterations N] [--json]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

FLOW = """\
flow: {name: soak}
settings: {threads: 4}
modules:
  - id: items
    name: fixed_rows
    configs: {required: {rows: "{{ range(ITERATIONS) | list }}"}}
  - id: rows
    name: fixed_rows
    configs: {required: {rows: [{i: "{{ iter.index }}", v: 1}, {i: 0, v: 2}, {i: 1, v: 3}]}}
  - {id: keep, name: filter_mod, configs: {required: {condition: "v > 1"}}}
  - id: part
    name: parquet_sink
    configs: {required: {output_path: "out/part_{{ iter.index % 20 }}.parquet"}}
  - id: all
    name: csv_sink
    configs: {required: {output_path: out/all.csv}, optional: {mode: append}}
  - id: say
    name: warn
    configs: {required: {message: "item {{ iter.index }}: {{ keep__rows_kept }} kept"}}
connections:
  data: ["rows.data - keep.input", "keep.output - part.input", "keep.output - all.input"]
  control: ["items (1|) iterate rows", "rows (1|) say"]
"""


def _proc(pid: int) -> dict[str, int] | None:
    """RSS in KiB, open descriptors and threads of ``pid``; None once it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        fds = len(os.listdir(f"/proc/{pid}/fd"))
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    return {
        "rss_kib": int(fields["VmRSS"].split()[0]),
        "fds": fds,
        "threads": int(fields["Threads"]),
    }


def soak(iterations: int, workdir: Path) -> dict[str, Any]:
    """Run the loop; return samples summarized per quarter and the run's outcome."""
    flow = FLOW.replace("ITERATIONS", str(iterations))
    (workdir / "flow.yaml").write_text(flow, encoding="utf-8")
    cmd = [sys.executable, "-m", "pypeline", "run", "flow.yaml", "--log-format", "json"]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=workdir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    samples: list[tuple[float, dict[str, int]]] = []

    def sample() -> None:
        while proc.poll() is None:
            found = _proc(proc.pid)
            if found:
                samples.append((time.perf_counter() - started, found))
            time.sleep(0.2)

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    code = proc.wait()
    watcher.join()
    seconds = time.perf_counter() - started
    lines = (workdir / "out" / "all.csv").read_text().splitlines() if code == 0 else []
    leftovers = [p.name for p in (workdir / "out").iterdir() if "pype-tmp" in p.name]
    loop = [s for t, s in samples if t > seconds * 0.25]  # past start-up and the first items
    quarter = max(1, len(loop) // 4)
    first, last = loop[:quarter], loop[-quarter:]

    def peak(part: list[dict[str, int]], key: str) -> int:
        return max((s[key] for s in part), default=0)

    return {
        "iterations": iterations,
        "exit_code": code,
        "seconds": round(seconds, 2),
        "csv_rows": max(0, len(lines) - 1),
        "leftover_temporaries": leftovers,
        "samples": len(samples),
        **{f"{k}_first": peak(first, k) for k in ("rss_kib", "fds", "threads")},
        **{f"{k}_last": peak(last, k) for k in ("rss_kib", "fds", "threads")},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--iterations", type=int, default=10_000)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pype-soak-") as tmp:
        result = soak(args.iterations, Path(tmp))
    if args.json:
        print(json.dumps(result))
        return
    n = result["iterations"]
    print(f"{n} iterations in {result['seconds']} s (exit {result['exit_code']})")
    growth = (result["rss_kib_last"] - result["rss_kib_first"]) / 1024
    print(
        f"RSS {result['rss_kib_first'] / 1024:.0f} → {result['rss_kib_last'] / 1024:.0f} MiB "
        f"(+{growth:.1f} MiB over the last three quarters, {growth * 1024 / (n * 0.75):.2f} "
        "KiB per iteration)"
    )
    print(f"open fds {result['fds_first']} → {result['fds_last']}")
    print(f"threads {result['threads_first']} → {result['threads_last']}")
    print(
        f"csv rows {result['csv_rows']} (expected {2 * n}); leftover temporaries: "
        f"{len(result['leftover_temporaries'])}"
    )


if __name__ == "__main__":
    main()
