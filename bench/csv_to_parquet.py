"""csv_source → parquet_sink on 5,000,000 rows, through a real `pype run` of a built job, against
the same copy written by hand with pyarrow. Target: PYpeline within 1.15× of the script.

The baseline is the fastest thing a Python user would write: ``pyarrow.csv.read_csv`` (parallel
parser) then ``pyarrow.parquet.write_table``, never touching pandas. PYpeline does more by
contract: the module hands a pandas DataFrame on its ``data`` port (so any transform can follow),
checks for malformed lines, writes atomically and records the run (log.jsonl, summary.json,
checkpoint). Both sides are whole processes (interpreter start and imports included), timed
interleaved; medians are compared. Usage: ``python bench/csv_to_parquet.py [ROWS] [REPEAT]``.

On Linux with transparent huge pages (``madvise``), pyarrow's mimalloc pool makes the CSV read
bimodal: the same read takes 0.25 s or 0.6-0.9 s (kernel time zeroing huge pages), more often
when it runs off the main thread, as every module does. ``BENCH_NO_THP=1`` turns huge pages off
for this script and both sides (``prctl(PR_SET_THP_DISABLE)``, inherited): slower reads, but
stable ones, which makes the ratio repeatable.
"""

from __future__ import annotations

import sys

from _common import OUT, compare, no_huge_pages, people_csv, timed

BASELINE = """
import sys
import pyarrow.csv as pv
import pyarrow.parquet as pq
table = pv.read_csv(sys.argv[1])
pq.write_table(table, sys.argv[2])
"""

FLOW = """
flow: {{name: bench_csv_to_parquet}}
modules:
  - {{id: src, name: csv_source, configs: {{required: {{file_path: "{csv}"}}}}}}
  - {{id: out, name: parquet_sink, configs: {{required: {{output_path: "{out}"}}}}}}
connections:
  data: ["src.data - out.input"]
"""


def main() -> None:
    no_huge_pages()
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 5_000_000
    repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    csv = people_csv(rows)
    OUT.mkdir(parents=True, exist_ok=True)
    script = OUT / "baseline_csv_to_parquet.py"
    script.write_text(BASELINE)
    flow = OUT / "bench_csv_to_parquet.yaml"
    flow.write_text(FLOW.format(csv=csv, out=OUT / "pypeline_people.parquet"))
    py = sys.executable
    timed([py, "-m", "pypeline", "build", str(flow), "-o", str(OUT / "jobs")])
    job = str(OUT / "jobs" / "bench_csv_to_parquet")
    ours = [py, "-m", "pypeline", "run", job, "--log-format", "json"]
    base = [py, str(script), str(csv), str(OUT / "hand_people.parquet")]
    print(f"{rows:,} rows, median of {repeat}")
    compare("csv_source → parquet_sink vs pyarrow", base, ours, repeat, 1.15)
    _check_same_table()


def _check_same_table() -> None:
    """Same rows, same values. The files differ in pandas metadata and string offsets (pandas'
    text columns are large_string), not in content."""
    import pyarrow.parquet as pq

    theirs = pq.read_table(OUT / "hand_people.parquet")
    mine = pq.read_table(OUT / "pypeline_people.parquet").cast(theirs.schema)
    assert mine.equals(theirs), (mine.schema, theirs.schema)
    print(f"both wrote the same {mine.num_rows:,} rows")


if __name__ == "__main__":
    main()
