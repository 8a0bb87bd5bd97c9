"""The demo's SQLite example: CSV → SQLite table → SQL aggregate, no server needed."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]


def test_sqlite_report_loads_and_aggregates(pype: Any, tmp_path: Path) -> None:
    for name in ("sample_etl/data", "sqlite_report"):
        shutil.copytree(REPO / "examples" / name, tmp_path / "examples" / name)
    (tmp_path / "examples" / "sqlite_report" / "people.db").unlink(missing_ok=True)
    result = pype("run", "examples/sqlite_report/sqlite_report.yaml", "--log-format", "json")
    assert result.code == 0, result.output
    with sqlite3.connect(tmp_path / "examples" / "sqlite_report" / "people.db") as db:
        assert db.execute("SELECT COUNT(*) FROM people").fetchone() == (10,)
    assert '"message": "5 rows in total"' in result.err  # five cities with adults
    again = pype("run", "examples/sqlite_report/sqlite_report.yaml")  # if_exists: replace
    assert again.code == 0
    with sqlite3.connect(tmp_path / "examples" / "sqlite_report" / "people.db") as db:
        assert db.execute("SELECT COUNT(*) FROM people").fetchone() == (10,)
