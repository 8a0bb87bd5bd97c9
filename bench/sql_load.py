"""sql_sink and sql_source against pandas on PostgreSQL, in one run, ratios printed.

Load: 1,000,000 rows (id, name, age, city, amount, joined timestamptz) written by ``sql_sink``
against ``DataFrame.to_sql(method="multi", chunksize=10000)``; target: sql_sink at least 3×
faster. Read: the same rows read back by ``sql_source`` (``query: SELECT * FROM ...``) against
``pandas.read_sql`` of the same query; target: within 1.10× of pandas.

Both sides get the same DataFrame in the same process: the modules are called in-process the
way the engine calls them (config with defaults, ``setup``, ``run``, ``teardown``, a real
``RunContext`` and thread pool), so interpreter start-up and CSV parsing do not blur the
comparison of the database work. Runs are interleaved and medians compared; both tables are
dropped at the end. Usage: ``python bench/sql_load.py [ROWS] [LOAD_REPEAT] [READ_REPEAT]``;
the database is ``PYPELINE_TEST_PG_URL`` (default: this machine's PostgreSQL, database test).
"""

from __future__ import annotations

import asyncio
import logging
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa

from pypeline import BaseModule, RunContext
from pypeline.run.execution.globals import GlobalStore
from pypeline.run.execution.threads import ThreadRunner, default_threads
from pypeline.sdk.memory_artifact import MemoryArtifact
from pypeline_sql.sql_sink import SqlSink
from pypeline_sql.sql_source import SqlSource

URL = os.environ.get("PYPELINE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
THEIRS, OURS = "bench_pandas_to_sql", "bench_pypeline_sql_sink"


def people(rows: int) -> pd.DataFrame:
    rng = np.random.default_rng(42)
    names = np.array(["Ada", "Grace", "Linus", "Ken", "Barbara", "Edsger", "Frances"])
    cities = np.array(["London", "Paris", "Boston", "Helsinki", "Zürich"])
    start = pd.Timestamp("2020-01-01", tz="UTC")
    return pd.DataFrame(
        {
            "id": np.arange(rows),
            "name": names[rng.integers(0, len(names), rows)],
            "age": rng.integers(0, 90, rows),
            "city": cities[rng.integers(0, len(cities), rows)],
            "amount": (rng.random(rows) * 1000).round(2),
            "joined": start + pd.to_timedelta(rng.integers(0, 10**8, rows), unit="s"),
        }
    )


def run_module(cls: type[BaseModule], config: dict[str, Any], inputs: dict[str, Any]) -> Any:
    """Call a module as the engine does; return its ``data`` output, if any."""
    module = cls()
    optional = cls.CONFIG_SCHEMA.get("optional", {})
    module.config = {**{k: v["default"] for k, v in optional.items() if "default" in v}, **config}
    threads = ThreadRunner(default_threads())
    ctx = RunContext(
        module_id="bench",
        frame=(),
        executor=threads,
        logger=logging.getLogger("bench"),
        artifact_manager=None,
        global_store=GlobalStore(),
        run_id=f"bench-{time.time_ns()}",
    )
    artifacts = {port: MemoryArtifact(frame) for port, frame in inputs.items()}

    async def go() -> dict[str, Any]:
        await module.setup(ctx)
        try:
            return await module.run(artifacts, ctx)
        finally:
            await module.teardown(ctx)

    try:
        return asyncio.run(go()).get("data")
    finally:
        threads.shutdown()


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def drop(*tables: str) -> None:
    engine = sa.create_engine(URL)
    with engine.begin() as conn:
        for table in tables:
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS {table}")
    engine.dispose()


def load_once(frame: pd.DataFrame) -> tuple[float, float]:
    """One to_sql and one sql_sink load of ``frame`` into fresh tables (engines included)."""
    drop(THEIRS, OURS)

    def theirs() -> None:
        engine = sa.create_engine(URL)
        frame.to_sql(THEIRS, engine, method="multi", chunksize=10_000, index=False)
        engine.dispose()

    base, _ = timed(theirs)
    mine, _ = timed(lambda: run_module(SqlSink, {"url": URL, "table": OURS}, {"input": frame}))
    return base, mine


def read_once() -> tuple[float, float, pd.DataFrame, pd.DataFrame]:
    """``pandas.read_sql`` and ``sql_source`` of the same query (engines included)."""
    query = f"SELECT * FROM {OURS}"

    def theirs() -> pd.DataFrame:
        engine = sa.create_engine(URL)
        frame = pd.read_sql(query, engine)
        engine.dispose()
        return frame

    base, expected = timed(theirs)
    mine, got = timed(lambda: run_module(SqlSource, {"url": URL, "query": query}, {}))
    return base, mine, expected, got


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    load_repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    read_repeat = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    frame = people(rows)
    print(f"{rows:,} rows into {sa.make_url(URL).render_as_string(hide_password=True)}")
    try:
        loads = [load_once(frame) for _ in range(load_repeat)]
        base = statistics.median(b for b, _ in loads)
        mine = statistics.median(m for _, m in loads)
        speedup = base / mine
        verdict = "ok" if speedup >= 3 else "UNDER TARGET"
        print(
            f"load, median of {load_repeat}: to_sql(method='multi', chunksize=10000) {base:.2f}s  "
            f"sql_sink {mine:.2f}s  sql_sink is {speedup:.1f}× faster (target ≥ 3×: {verdict})"
        )
        reads = [read_once() for _ in range(read_repeat)]
        base = statistics.median(r[0] for r in reads)
        mine = statistics.median(r[1] for r in reads)
        ratio = mine / base
        verdict = "ok" if ratio <= 1.10 else "OVER TARGET"
        print(
            f"read, median of {read_repeat}: pandas.read_sql {base:.2f}s  sql_source {mine:.2f}s  "
            f"ratio {ratio:.2f} (target ≤ 1.10: {verdict})"
        )
        _, _, expected, got = reads[-1]
        key = ["id"]
        pd.testing.assert_frame_equal(
            got.sort_values(key).reset_index(drop=True),
            expected.sort_values(key).reset_index(drop=True),
        )
        print(f"both read the same {len(got):,} rows, same dtypes")
    finally:
        drop(THEIRS, OURS)


if __name__ == "__main__":
    main()
