"""The seed's sample flow (CSV → filter_mod → parquet_sink) on 5,000,000 rows, against the same
work written by hand in pandas. Target: PYpeline within 1.10× of the hand-written script.

Both sides are whole processes (interpreter start and imports included), timed interleaved.
Two baselines: the script as most users write it (pandas' default C parser), and the same with
``engine="pyarrow"``. ``BENCH_NO_THP=1`` makes the figures repeatable (see ``_common``).
Usage: ``python bench/sample_flow.py [ROWS] [REPEAT]``.
"""

from __future__ import annotations

import sys

from _common import OUT, compare, no_huge_pages, people_csv, timed

BASELINE = """
import sys
import pandas as pd
df = pd.read_csv(sys.argv[1], engine=sys.argv[3])
adults = df[df.age > 18]
adults.to_parquet(sys.argv[2], index=False)
"""

FLOW = """
flow: {{name: bench_sample}}
settings: {{checkpoint: true}}
modules:
  - {{id: src, name: csv_source, configs: {{required: {{file_path: "{csv}"}}}}}}
  - {{id: adults, name: filter_mod, configs: {{required: {{condition: "age > 18"}}}}}}
  - {{id: out, name: parquet_sink, configs: {{required: {{output_path: "{out}"}}}}}}
connections:
  data: ["src.data - adults.input", "adults.output - out.input"]
"""


def main() -> None:
    no_huge_pages()
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 5_000_000
    repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    csv = people_csv(rows)
    OUT.mkdir(parents=True, exist_ok=True)
    script = OUT / "baseline_sample.py"
    script.write_text(BASELINE)
    flow = OUT / "bench_sample.yaml"
    flow.write_text(FLOW.format(csv=csv, out=OUT / "pypeline_adults.parquet"))
    py = sys.executable
    timed([py, "-m", "pypeline", "build", str(flow), "-o", str(OUT / "jobs")])
    job = str(OUT / "jobs" / "bench_sample")
    ours = [py, "-m", "pypeline", "run", job, "--log-format", "json"]
    print(f"{rows:,} rows, median of {repeat}")
    for engine, target in (("c", 1.10), ("pyarrow", 1.10)):
        base = [py, str(script), str(csv), str(OUT / "hand_adults.parquet"), engine]
        compare(f"sample flow vs pandas (engine={engine})", base, ours, repeat, target)
    _check_same_rows()


def _check_same_rows() -> None:
    import pyarrow.parquet as pq

    mine = pq.read_metadata(OUT / "pypeline_adults.parquet").num_rows
    theirs = pq.read_metadata(OUT / "hand_adults.parquet").num_rows
    assert mine == theirs, (mine, theirs)
    print(f"both wrote {mine:,} rows")


if __name__ == "__main__":
    main()
