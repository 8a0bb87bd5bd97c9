"""A ``compute_mod`` with five expression functions on 5,000,000 rows, against the same work
written by hand in pandas. Target: PYpeline within 1.20× of the hand-written code.

Both sides run in this process on the same in-memory frame (Arrow-backed text, as
``csv_source`` hands it on), interleaved, after one warm-up each: what is measured is the
module's work (``pypeline.testing.run_module``: config check, compiling the expressions,
evaluating them, the output artifact) against the five pandas lines, not file I/O or start-up,
which would only dilute the ratio. The outputs are checked to be equal.
Usage: ``python bench/expressions.py [ROWS] [REPEAT] [--profile]``; ``--profile`` times each
expression on its own, to find a slow function.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

EXPRESSIONS = {
    "clean_name": "lower(strip(name))",
    "price": "to_number(price_text)",
    "a_or_b": "coalesce(a, b)",
    "year": "year(d)",
    "sign": "if_else(x > 0, 'pos', 'neg')",
}


def make_frame(rows: int) -> Any:
    """Names with stray spaces and capitals, prices as '$1,234.50', floats with nulls, dates."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(12)
    names = np.array([" Ada ", "GRACE", " linus", "Ken  ", "Barbara", "Édsger", " frances "])
    prices = np.array([f"${v:,.2f}" for v in rng.uniform(0, 50_000, 1000)])
    a = rng.normal(size=rows)
    a[rng.random(rows) < 0.3] = np.nan
    days = rng.integers(0, 20_000, rows).astype("timedelta64[D]")
    return pd.DataFrame(
        {
            "name": pd.Series(names[rng.integers(0, len(names), rows)], dtype="str"),
            "price_text": pd.Series(prices[rng.integers(0, len(prices), rows)], dtype="str"),
            "a": a,
            "b": rng.normal(size=rows),
            "d": np.datetime64("1970-01-01") + days,
            "x": rng.normal(size=rows),
        }
    )


def hand_columns() -> dict[str, Callable[[Any], Any]]:
    """The same five columns as most users would write them in pandas, one line each."""
    import numpy as np
    import pandas as pd

    def sign(frame: Any) -> Any:
        return pd.Series(np.where(frame["x"] > 0, "pos", "neg"), index=frame.index, dtype="str")

    return {
        "clean_name": lambda f: f["name"].str.strip().str.lower(),
        "price": lambda f: (  # Kedro's _parse_money: the fastest of the usual spellings
            f["price_text"].str.replace("$", "").str.replace(",", "").astype("float64")
        ),
        "a_or_b": lambda f: f["a"].fillna(f["b"]),
        "year": lambda f: f["d"].dt.year,
        "sign": sign,
    }


def by_hand(frame: Any) -> Any:
    return frame.assign(**{column: line(frame) for column, line in hand_columns().items()})


def with_pypeline(frame: Any, expressions: dict[str, str] = EXPRESSIONS) -> Any:
    """``compute_mod`` run as a node of a run, on the same frame."""
    from pypeline.modules.mods.compute_mod import ComputeMod
    from pypeline.testing import run_module

    result = run_module(ComputeMod, {"expressions": expressions}, {"input": frame})
    return result.frame("output")


def seconds(work: Callable[..., Any], *args: Any) -> float:
    start = time.perf_counter()
    work(*args)
    return time.perf_counter() - start


def compare(frame: Any, repeat: int) -> float:
    """Medians of ``repeat`` interleaved runs of both sides; prints them and the ratio."""
    hand, ours = by_hand(frame), with_pypeline(frame)  # warm-up, and the equality check
    _check_same(hand, ours)
    base_times, our_times = [], []
    for _ in range(repeat):
        base_times.append(seconds(by_hand, frame))
        our_times.append(seconds(with_pypeline, frame))
    base, mine = statistics.median(base_times), statistics.median(our_times)
    ratio = mine / base
    verdict = "ok" if ratio <= 1.20 else "OVER TARGET"
    print(
        f"compute_mod, five functions: pandas {base:.3f}s  pypeline {mine:.3f}s  "
        f"ratio {ratio:.3f} (target ≤ 1.20: {verdict})"
    )
    return ratio


def profile(frame: Any, repeat: int) -> None:
    """Each expression alone through compute_mod, against its own hand-written line."""
    lines = hand_columns()
    for column, text in EXPRESSIONS.items():
        ours = statistics.median(
            seconds(with_pypeline, frame, {column: text}) for _ in range(repeat)
        )
        theirs = statistics.median(seconds(lines[column], frame) for _ in range(repeat))
        print(f"  {text:<30} pandas {theirs:.3f}s  pypeline {ours:.3f}s  ({ours / theirs:.2f}×)")


def _check_same(hand: Any, ours: Any) -> None:
    import pandas as pd

    for column in EXPRESSIONS:
        pd.testing.assert_series_equal(
            ours[column], hand[column], check_dtype=False, check_names=False
        )


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    rows = int(args[0]) if args else 5_000_000
    repeat = int(args[1]) if len(args) > 1 else 3
    frame = make_frame(rows)
    print(f"{rows:,} rows, median of {repeat}")
    compare(frame, repeat)
    if "--profile" in sys.argv:
        profile(frame, repeat)


if __name__ == "__main__":
    main()
