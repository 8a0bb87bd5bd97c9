"""``pype --help`` start-up time, against a bare ``python -c pass`` in the same run.

Target: under 0.3 s. The difference is what PYpeline adds to the interpreter's own start.
"""

from __future__ import annotations

import statistics
import sys

from _common import compile_sources, timed


def main() -> None:
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    compile_sources()
    bare, pype = [], []
    for _ in range(repeat):
        bare.append(timed([sys.executable, "-c", "pass"]))
        pype.append(timed([sys.executable, "-m", "pypeline", "--help"]))
    b, p = statistics.median(bare), statistics.median(pype)
    verdict = "ok" if p < 0.3 else "OVER TARGET"
    print(
        f"pype --help: {p * 1000:.0f} ms (python -c pass: {b * 1000:.0f} ms; "
        f"ratio {p / b:.2f}; target < 300 ms: {verdict})"
    )


if __name__ == "__main__":
    main()
