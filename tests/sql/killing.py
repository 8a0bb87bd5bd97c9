"""Run a job in a real process and SIGKILL it at a chosen moment (``test_resumable_loads``).

``run_once`` starts ``pype run`` (``--resume``) and kills it a given time after the sink starts,
or as soon as the load shows it committed (``Watch``), never after the job has ended. The
helpers read the job's ``log.jsonl``, which the engine flushes line by line.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa


@dataclass(frozen=True)
class Trial:
    """One database's load: where, how, and the folder of its job."""

    kind: str
    url: str
    table: str
    mode: str
    exists: bool
    folder: Path
    rows: int


def pype(trial: Trial, *args: str) -> subprocess.Popen[bytes]:
    """``pype ARGS`` in the trial's folder; bytecode cached outside the repo (fast starts)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYPELINE_DEBUG", "PYTHONDONTWRITEBYTECODE")
    }
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "pypeline-test-pycache")
    with (trial.folder / "output.txt").open("a") as out:
        command = [sys.executable, "-m", "pypeline", *args]
        return subprocess.Popen(command, cwd=trial.folder, env=env, stdout=out, stderr=out)


def events(trial: Trial, event: str, node: str = "") -> int:
    """How many ``event`` lines (of ``node``, if given) the job's runs have logged so far."""
    wanted = [f'"event": "{event}"', *([f'"node_id": "{node}"'] if node else [])]
    logs = (trial.folder / "jobs" / "resumable").glob("runs/*/log.jsonl")
    lines = [line for log in logs for line in log.read_text(encoding="utf-8").splitlines()]
    return sum(all(w in line for w in wanted) for line in lines)


def sink_seconds(trial: Trial) -> float:
    """How long the sink took in the last run that finished it."""
    logs = sorted((trial.folder / "jobs" / "resumable").glob("runs/*/log.jsonl"))
    ends = [json.loads(line) for line in logs[-1].read_text(encoding="utf-8").splitlines()]
    ends = [e for e in ends if e["event"] == "module_end" and e.get("node_id") == "load"]
    return float(ends[-1]["duration_s"])


class Watch:
    """What shows that the load committed, polled without pause on one autocommit connection:
    its ledger record changed, the table shows the load's first row (found at once: the new
    table's first, or by the index of an existing one), or the sink's end was logged."""

    def __init__(self, trial: Trial) -> None:
        self.trial = trial
        waits = {"connect_args": {"timeout": 0}} if trial.kind == "sqlite" else {}
        self.engine = sa.create_engine(trial.url, **waits)  # SQLite: busy means "not yet"
        self.conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        query = "SELECT run_id, row_count, staging, loaded_at FROM _pype_loads WHERE target = :t"
        self.record = sa.text(query).bindparams(t=trial.table)
        self.first = sa.text(f"SELECT 1 FROM {trial.table} WHERE id = 0 AND name = 'n0' LIMIT 1")
        self.last: dict[Any, Any] = {}

    def state(self) -> tuple[Any, ...]:
        return (
            self._one(self.record),
            self._one(self.first),
            events(self.trial, "module_end", "load"),
        )

    def _one(self, query: Any) -> Any:
        try:
            row = self.conn.execute(query).first()
            self.last[query] = tuple(row) if row else None
        except sa.exc.DBAPIError:  # no such table yet, or SQLite busy with the commit
            self.last.setdefault(query, None)
        return self.last[query]

    def close(self) -> None:
        self.conn.close()
        self.engine.dispose()


def run_once(trial: Trial, resume: bool, kill: str | None, within: float) -> int | None:
    """``pype run`` (``--resume``), SIGKILLed as ``kill`` says; its exit code, None if killed.

    ``random``: ``within`` seconds after the sink starts; ``commit``: as soon as the load shows
    it committed (``Watch``). Never once the job has ended: a run killed after its very last
    step has finished, and resuming it starts a new run (SPEC §6).
    """
    watch = Watch(trial)
    started, ended = events(trial, "module_start", "load"), events(trial, "job_end")
    before = watch.state()
    proc = pype(trial, "run", "jobs/resumable", *(["--resume"] * resume))
    try:
        deadline = time.monotonic() + 120
        while kill and proc.poll() is None and time.monotonic() < deadline:
            if kill == "random" and events(trial, "module_start", "load") > started:
                time.sleep(within)
                break
            if kill == "commit" and watch.state() != before:
                break
            if kill == "random":
                time.sleep(0.02)
        if kill and proc.poll() is None and events(trial, "job_end") == ended:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return None
        return proc.wait(timeout=120)
    finally:
        watch.close()
