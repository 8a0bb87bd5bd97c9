"""Per-iteration overhead of ITERATE: 10,000 iterations over a trivial solo module.

The flow is `fixed_rows` (a list of N numbers on `items`) → iterate → `sleep` (0 s). The same
flow with N = 0 is run in the same invocation and subtracted, so interpreter start, imports and
build do not count. Target: at most 200 µs per iteration. Usage: ``python bench/iterate.py [N]``.
"""

from __future__ import annotations

import statistics
import sys

from _common import OUT, timed

FLOW = """
flow: {{name: bench_iterate_{n}_{checkpoint}}}
settings: {{checkpoint: {checkpoint}}}
modules:
  - {{id: items, name: fixed_rows, configs: {{required: {{rows: "{{{{ range({n}) | list }}}}"}}}}}}
  - {{id: tick, name: sleep, configs: {{required: {{seconds: 0}}}}}}
connections:
  control: ["items (1|) iterate tick"]
"""


def job(n: int, checkpoint: bool = True) -> str:
    """Build the flow for ``n`` iterations; return the job folder."""
    OUT.mkdir(parents=True, exist_ok=True)
    flag = str(checkpoint).lower()
    flow = OUT / f"bench_iterate_{n}_{flag}.yaml"
    flow.write_text(FLOW.format(n=n, checkpoint=flag))
    timed([sys.executable, "-m", "pypeline", "build", str(flow), "-o", str(OUT / "jobs")])
    return str(OUT / "jobs" / f"bench_iterate_{n}_{flag}")


def per_iteration_us(n: int, repeat: int, checkpoint: bool = True) -> float:
    """Median µs per iteration, start-up subtracted."""
    empty, full = job(0, checkpoint), job(n, checkpoint)
    base, loop = [], []
    for _ in range(repeat):
        base.append(timed([sys.executable, "-m", "pypeline", "run", empty, "--log-format", "json"]))
        loop.append(timed([sys.executable, "-m", "pypeline", "run", full, "--log-format", "json"]))
    return (statistics.median(loop) - statistics.median(base)) / n * 1e6


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    us = per_iteration_us(n, repeat=3)
    verdict = "ok" if us <= 200 else "OVER TARGET"
    print(f"ITERATE: {n:,} iterations, {us:.0f} µs per iteration (target ≤ 200 µs: {verdict})")


if __name__ == "__main__":
    main()
