"""Checkpoint overhead: the same flows with ``checkpoint: true`` and ``checkpoint: false``.

1. The 10,000-iteration ITERATE flow of ``iterate.py`` (one journal record per iteration).
   Target: at most 1.25× the time without checkpoints.
2. The 5,000,000-row sample flow of ``sample_flow.py`` (one record per sub flow).
   Target: at most 1.03×.
Whole processes, interleaved, medians. Usage: ``python bench/checkpoint.py [N] [ROWS]``.
"""

from __future__ import annotations

import sys

from _common import OUT, compare, people_csv, timed
from iterate import job as iterate_job

SAMPLE = """
flow: {{name: bench_ckpt_{flag}}}
settings: {{checkpoint: {flag}}}
modules:
  - {{id: src, name: csv_source, configs: {{required: {{file_path: "{csv}"}}}}}}
  - {{id: adults, name: filter_mod, configs: {{required: {{condition: "age > 18"}}}}}}
  - {{id: out, name: parquet_sink, configs: {{required: {{output_path: "{out}"}}}}}}
connections:
  data: ["src.data - adults.input", "adults.output - out.input"]
"""


def sample_job(csv: str, flag: str) -> str:
    flow = OUT / f"bench_ckpt_{flag}.yaml"
    flow.write_text(SAMPLE.format(flag=flag, csv=csv, out=OUT / f"ckpt_{flag}.parquet"))
    timed([sys.executable, "-m", "pypeline", "build", str(flow), "-o", str(OUT / "jobs")])
    return str(OUT / "jobs" / f"bench_ckpt_{flag}")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 5_000_000
    py = [sys.executable, "-m", "pypeline", "run"]
    quiet = ["--log-format", "json"]
    off, on = iterate_job(n, checkpoint=False), iterate_job(n, checkpoint=True)
    compare(
        f"{n:,} iterations, checkpoint on vs off", [*py, off, *quiet], [*py, on, *quiet], 5, 1.25
    )
    csv = str(people_csv(rows))
    off, on = sample_job(csv, "false"), sample_job(csv, "true")
    compare(
        f"{rows:,}-row sample, checkpoint on vs off", [*py, off, *quiet], [*py, on, *quiet], 5, 1.03
    )


if __name__ == "__main__":
    main()
