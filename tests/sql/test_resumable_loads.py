"""A load killed at any moment resumes to exactly one load's rows (issue 10, item 3c).

Real kills: a flow (CSV → sql_sink) runs with the ``pype`` CLI in a process, which is SIGKILLed
twice, then resumed to the end: first at a seeded random moment while the sink loads, then
(on the resumed run) at the moment the load commits (see ``Watch``), the window where a resumed
run used to load twice or fail on the table its killed run had created. Every if_exists mode,
from an existing table and from none, on PostgreSQL, MariaDB and SQLite (the three side by
side). After the final resume: exit 0, exactly the rows one load leaves (counted, summed, and
the old rows that must stay), no ``_pype_stage_`` table of the target left.
"""

from __future__ import annotations

import random
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from .conftest import DATABASES, drop, sql, url_of
from .killing import Trial, run_once, sink_seconds

# rows per load, and about how long the sink takes (random kills land within; see kill_and_resume)
ROWS = {"postgresql": 100_000, "mysql": 20_000, "sqlite": 40_000}
LOAD_S = {"postgresql": 1.0, "mysql": 1.5, "sqlite": 1.0}
OLD = 10  # rows in the table before the load, named 'old'
CASES = [  # (if_exists, whether the table exists before the load)
    ("fail", False),
    ("replace", True),
    ("append", True),
    ("append", False),
    ("truncate", True),
    ("upsert", True),
]
FLOW = """
flow: {{name: resumable}}
modules:
  - id: read
    name: csv_source
    configs: {{required: {{file_path: "{csv}"}}}}
  - id: load
    name: sql_sink
    configs:
      required: {{url: "{url}", table: {table}}}
      optional: {{if_exists: {mode}, upsert_keys: {keys}, batch_size: 1000}}
connections:
  data: ["read.data - load.input"]
"""


def prepare(trial: Trial, csv: Path) -> None:
    """The built job, and the table as it is before the load."""
    from pypeline.build.build import build_flow

    mode, keys = ("append", "[id]") if trial.mode == "upsert" else (trial.mode, "[]")
    text = FLOW.format(csv=csv, url=trial.url, table=trial.table, mode=mode, keys=keys)
    (trial.folder / "flow.yaml").write_text(text, encoding="utf-8")
    build_flow(trial.folder / "flow.yaml", trial.folder / "jobs")
    reset(trial)


def reset(trial: Trial) -> None:
    """The table as it is before the load: none, or ``OLD`` rows named 'old'."""
    drop(trial.url, trial.table)
    if not trial.exists:
        return
    n, upsert = trial.rows, trial.mode == "upsert"
    # upserts: half the old rows share keys with the load (and are updated), half do not
    old = [*range(OLD // 2), *range(n, n + OLD // 2)] if upsert else list(range(n, n + OLD))
    table = sa.Table(
        trial.table,
        sa.MetaData(),
        sa.Column("id", sa.BigInteger(), primary_key=upsert, autoincrement=False),
        sa.Column("name", sa.String(40)),
        sa.Column("amount", sa.Float()),
        *([] if upsert else [sa.Index(f"{trial.table}_id", "id")]),  # quick polls (Watch)
    )
    engine = sa.create_engine(trial.url)
    try:
        with engine.begin() as conn:
            table.create(conn)
            conn.execute(table.insert(), [{"id": i, "name": "old", "amount": 0.0} for i in old])
    finally:
        engine.dispose()


def kill_and_resume(trial: Trial) -> str:
    """Kill, kill, resume; returns a problem ("" when none) so that three can run side by side.

    A run that finishes before its random kill (a fast machine) tells how long the sink takes:
    the table is reset and the next attempt aims within that time.
    """
    rng, window = random.Random(f"{trial.kind}-{trial.mode}-{trial.exists}"), LOAD_S[trial.kind]
    for _attempt in range(4):
        code = run_once(trial, False, "random", rng.uniform(0, window))
        if code is None:
            break
        if code != 0:
            return f"exit {code}: {(trial.folder / 'output.txt').read_text()[-2000:]}"
        window = sink_seconds(trial) * 0.9
        reset(trial)
    else:
        return "every run finished before its kill"
    for kill in ("commit", None):
        code = run_once(trial, True, kill, 0)
        if code is not None:
            if code != 0:
                return f"exit {code}: {(trial.folder / 'output.txt').read_text()[-2000:]}"
            break
    return check(trial)


def expected(trial: Trial) -> tuple[int, int, int]:
    """(rows, sum of ids, old rows) of the table after one load."""
    n = trial.rows
    kept = {"append": OLD, "upsert": OLD // 2}.get(trial.mode, 0) if trial.exists else 0
    return n + kept, n * (n - 1) // 2 + sum(range(n, n + kept)), kept


def check(trial: Trial) -> str:
    """Exactly one load's rows, and no staging table of the target left."""
    count, ids, old = sql(
        trial.url,
        "SELECT COUNT(*), SUM(id), SUM(CASE WHEN name = 'old' THEN 1 ELSE 0 END) "
        f"FROM {trial.table}",
    )[0]
    got, want = (int(count), int(ids or 0), int(old or 0)), expected(trial)
    engine = sa.create_engine(trial.url)
    try:
        names = sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()
    left = [name for name in names if name.startswith(f"_pype_stage_{trial.table}")]
    if got != want or left:
        return f"(rows, sum of ids, old rows) {got} != {want}; staging tables left: {left}"
    return ""


@pytest.fixture(scope="module")
def csv_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Per database, the CSV of one load: ids 0 to rows - 1."""
    folder = tmp_path_factory.mktemp("rows")
    files = {}
    for kind, rows in ROWS.items():
        ids = range(rows)
        names, amounts = [f"n{i}" for i in ids], [i / 4 for i in ids]
        files[kind] = folder / f"{kind}.csv"
        pd.DataFrame({"id": ids, "name": names, "amount": amounts}).to_csv(files[kind], index=False)
    return files


@pytest.mark.parametrize(
    ("mode", "exists"), CASES, ids=[f"{m}-{'table' if e else 'none'}" for m, e in CASES]
)
def test_a_killed_load_resumes_to_exactly_one_load(
    mode: str, exists: bool, tmp_path: Path, csv_files: dict[str, Path]
) -> None:
    pytest.importorskip("pypeline_files", reason="the flow reads its rows with csv_source")
    trials = []
    for kind in DATABASES:
        folder = tmp_path / kind
        folder.mkdir()
        table = f"t_{uuid.uuid4().hex[:12]}"
        trials.append(Trial(kind, url_of(kind, folder), table, mode, exists, folder, ROWS[kind]))
    try:
        for trial in trials:
            prepare(trial, csv_files[trial.kind])
        with ThreadPoolExecutor(len(trials)) as pool:
            problems = list(pool.map(kill_and_resume, trials))
    finally:
        for trial in trials:
            if trial.kind != "sqlite":
                drop(trial.url, trial.table)
    failed = {t.kind: problem for t, problem in zip(trials, problems, strict=True) if problem}
    assert not failed, failed
