"""Shared by the bench scripts: data generation, timing of whole commands, median and ratio.

Every script runs the baseline and PYpeline in the same run, interleaved, and prints the ratio:
figures from different runs or machines are never compared.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
OUT = HERE / "out"


def people_csv(rows: int) -> Path:
    """A CSV of ``rows`` people (id, name, age, city, amount), made once and reused."""
    import numpy as np
    import pandas as pd

    path = DATA / f"people_{rows}.csv"
    if path.exists():
        return path
    DATA.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(42)
    tmp = path.with_suffix(".tmp")
    chunk = 1_000_000
    names = np.array(["Ada", "Grace", "Linus", "Ken", "Barbara", "Edsger", "Frances"])
    cities = np.array(["London", "Paris", "Boston", "Helsinki", "Berkeley"])
    with tmp.open("w", encoding="utf-8") as out:
        for start in range(0, rows, chunk):
            n = min(chunk, rows - start)
            frame = pd.DataFrame(
                {
                    "id": np.arange(start, start + n),
                    "name": names[rng.integers(0, len(names), n)],
                    "age": rng.integers(0, 90, n),
                    "city": cities[rng.integers(0, len(cities), n)],
                    "amount": rng.random(n).round(2) * 1000,
                }
            )
            frame.to_csv(out, index=False, header=start == 0)
    tmp.rename(path)
    return path


def timed(cmd: list[str], cwd: Path | None = None) -> float:
    """Wall-clock seconds of one command, which must succeed."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr[-2000:]}")
    return elapsed


def no_huge_pages() -> None:
    """``BENCH_NO_THP=1``: no transparent huge pages for this process and its children.

    With huge pages on, pyarrow's allocator makes the same 5M-row CSV read take 0.25 s or
    0.6-0.9 s depending on run order; both sides inherit the setting, so the ratio is stable.
    """
    import os

    if os.environ.get("BENCH_NO_THP") == "1":
        import ctypes

        if ctypes.CDLL(None).prctl(41, 1, 0, 0, 0) != 0:  # PR_SET_THP_DISABLE
            sys.exit("BENCH_NO_THP=1: prctl(PR_SET_THP_DISABLE) failed")


def compile_sources() -> None:
    """Byte-compile the packages, as ``pip install`` does for the baseline's libraries.

    This machine sets ``PYTHONDONTWRITEBYTECODE=1`` and the packages are installed editable,
    so without this every ``pype`` process would compile ~150 modules from source (~50 ms)
    while pandas and pyarrow load their installed ``.pyc`` files: an unfair start.
    """
    import compileall

    root = HERE.parent
    for pkg in ("pypeline-core", "pypeline-mods-files", "pypeline-mods-sql", "pypeline-vault"):
        compileall.compile_dir(str(root / pkg / "src"), quiet=1)


def compare(name: str, baseline: list[str], ours: list[str], repeat: int, target: float) -> float:
    """Run both ``repeat`` times, interleaved; print medians and the ratio; return the ratio."""
    compile_sources()
    base_times, our_times = [], []
    for _ in range(repeat):
        base_times.append(timed(baseline))
        our_times.append(timed(ours))
    base, mine = statistics.median(base_times), statistics.median(our_times)
    ratio = mine / base
    verdict = "ok" if ratio <= target else "OVER TARGET"
    print(
        f"{name}: baseline {base:.3f}s  pypeline {mine:.3f}s  ratio {ratio:.3f} "
        f"(target ≤ {target:.2f}: {verdict})"
    )
    return ratio
