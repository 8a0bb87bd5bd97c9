"""SIGKILL at 25 seeded random moments, then ``--resume``: outputs equal a clean run's, row for
row, and no sub flow that was checkpointed as finished runs again (checked from log.jsonl)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd

from pypeline.testing import read_events, run_pype

FLOW = """\
flow: {name: crashy}
modules:
  - {id: meta, name: fixed_rows, configs: {required: {rows: [{k: started}]}}}
  - {id: meta_out, name: csv_sink, configs: {required: {output_path: out/meta.csv}}}
  - {id: list_files, name: file_list, configs: {required: {directory: in}, optional: {pattern: "*.csv"}}}
  - {id: read, name: csv_source, configs: {required: {file_path: "{{ iter.item }}"}}}
  - {id: keep, name: filter_mod, configs: {required: {condition: "v % 3 != 0"}}}
  - {id: write, name: parquet_sink, configs: {required: {output_path: "out/clean_{{ iter.item | stem }}.parquet"}}}
  - {id: pause, name: sleep, configs: {required: {seconds: 0.03}}}
  - {id: totals, name: fixed_rows, configs: {required: {rows: [{kept: "{{ each('keep__rows_kept') | sum }}"}]}}}
  - {id: totals_out, name: csv_sink, configs: {required: {output_path: out/totals.csv}}}
  - {id: done, name: warn, configs: {required: {message: done}}}
connections:
  data:
    - "meta.data - meta_out.input"
    - "read.data - keep.input"
    - "keep.output - write.input"
    - "totals.data - totals_out.input"
  control:
    - "meta (1|) list_files"
    - "list_files (1|) iterate read"
    - "read (1|) pause"
    - "list_files (2|) totals"
    - "totals (1|) done"
"""
KILLS = 25


def _outputs(out: Path) -> dict[str, Any]:
    """Every visible output file's rows (hidden names are sinks' temporary files)."""
    found: dict[str, Any] = {}
    for path in sorted(out.iterdir()):
        if path.name.startswith("."):
            continue
        reader = pd.read_parquet if path.suffix == ".parquet" else pd.read_csv
        found[path.name] = reader(path).to_dict(orient="list")
    return found


def _sections(run_dir: Path) -> list[list[dict[str, Any]]]:
    events = read_events(run_dir)
    starts = [i for i, e in enumerate(events) if e["event"] == "job_start"]
    return [events[a:b] for a, b in zip(starts, [*starts[1:], len(events)], strict=True)]


def test_sigkill_at_random_moments_then_resume_gives_the_clean_outputs(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    for i in range(20):
        frame = pd.DataFrame({"v": range(i * 10, i * 10 + 10), "name": [f"r{i}"] * 10})
        frame.to_csv(tmp_path / "in" / f"part_{i:02d}.csv", index=False)
    (tmp_path / "flow.yaml").write_text(FLOW, encoding="utf-8")
    assert run_pype("build", "flow.yaml", cwd=tmp_path).code == 0
    started = time.monotonic()
    clean = run_pype("run", "jobs/crashy", "--fresh", cwd=tmp_path)
    duration = time.monotonic() - started
    assert clean.code == 0, clean.output
    expected = _outputs(tmp_path / "out")
    assert len(expected) == 22 and expected["totals.csv"] == {"kept": [133]}

    rng = random.Random(20261127)
    env = {k: v for k, v in os.environ.items() if k != "PYPELINE_DEBUG"}
    resumed_sections = 0
    for _ in range(KILLS):
        for path in (tmp_path / "out").iterdir():
            path.unlink()
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "pypeline",
                "run",
                "jobs/crashy",
                "--fresh",
                "--log-format",
                "json",
            ],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.35, 1.0) * duration)  # past start-up, where nothing is saved yet
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        result = run_pype("run", "jobs/crashy", "--resume", cwd=tmp_path)
        assert result.code == 0, result.output
        assert _outputs(tmp_path / "out") == expected
        assert not (tmp_path / "jobs" / "crashy" / "checkpoints").exists()
        latest = sorted((tmp_path / "jobs" / "crashy" / "runs").iterdir())[-1]
        sections = _sections(latest)
        if len(sections) < 2:
            continue  # killed before the first checkpoint: the resume started afresh
        resumed_sections += 1
        done = {
            (e["sub_flow"], e.get("iter_index")) for e in sections[0] if e["event"] == "checkpoint"
        }
        rerun = {
            (e["sub_flow"], e.get("iter_index"))
            for e in sections[-1]
            if e["event"] == "subflow_start"
        }
        assert not done & rerun, f"finished sub flows ran again: {sorted(done & rerun, key=str)}"
    assert resumed_sections >= KILLS // 2, resumed_sections
