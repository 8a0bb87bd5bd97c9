"""log_row: what a user reads in the log — the first rows as a table, then the row count."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from pypeline.modules.sinks.log_row import LogRow
from pypeline.testing import run_module

MODES = ["pandas", "dask"]


def _people(n: int) -> pd.DataFrame:
    return pd.DataFrame({"name": [f"person {i:02d}" for i in range(n)], "age": range(n)})


@pytest.mark.parametrize("mode", MODES)
def test_logs_the_first_rows_and_the_total(mode: str) -> None:
    run = run_module(LogRow, {"limit": 3}, {"input": _people(25)}, mode=mode, partitions=4)

    assert run.outputs == {}
    table, total = run.logs
    assert table.splitlines() == [
        "first 3 rows:",
        "     name  age",
        "person 00    0",
        "person 01    1",
        "person 02    2",
    ]
    assert total == "25 rows in total"


@pytest.mark.parametrize("mode", MODES)
def test_limit_spanning_several_dask_partitions_keeps_row_order(mode: str) -> None:
    run = run_module(LogRow, {"limit": 12}, {"input": _people(30)}, mode=mode, partitions=6)

    lines = run.logs[0].splitlines()
    assert lines[0] == "first 12 rows:"
    assert [line.split()[1] for line in lines[2:]] == [f"{i:02d}" for i in range(12)]
    assert "person 12" not in run.logs[0]


@pytest.mark.parametrize("mode", MODES)
def test_default_limit_is_twenty(mode: str) -> None:
    run = run_module(LogRow, {}, {"input": _people(50)}, mode=mode)
    assert run.logs[0].startswith("first 20 rows:")
    assert "person 19" in run.logs[0]
    assert "person 20" not in run.logs[0]
    assert run.logs[1] == "50 rows in total"


def test_fewer_rows_than_the_limit() -> None:
    run = run_module(LogRow, {"limit": 10}, {"input": _people(1)})
    assert run.logs == ["first 1 row:\n     name  age\nperson 00    0", "1 row in total"]


@pytest.mark.parametrize("mode", MODES)
def test_limit_zero_logs_only_the_count(mode: str) -> None:
    run = run_module(LogRow, {"limit": 0}, {"input": _people(1234)}, mode=mode)
    assert run.logs == ["1,234 rows in total"]


def test_empty_input_names_its_columns() -> None:
    run = run_module(LogRow, {}, {"input": _people(0)})
    assert run.logs == ["first 0 rows:\n(no rows; columns: name, age)", "0 rows in total"]


def test_long_cells_are_cut() -> None:
    frame = pd.DataFrame({"note": ["x" * 500], "id": [1]})
    run = run_module(LogRow, {"limit": 5}, {"input": frame})
    assert "x" * 500 not in run.logs[0]
    assert "..." in run.logs[0]
    assert run.logs[0].rstrip().endswith("1")


@pytest.mark.parametrize(
    ("limit", "message"),
    [
        (-1, "must be 0 or more, not -1"),
        ("ten", "must be a whole number of rows (0 or more), not 'ten'"),
        (True, "must be a whole number of rows (0 or more), not True"),
    ],
)
def test_check_config_refuses_bad_limits(limit: object, message: str) -> None:
    assert LogRow.check_config({"limit": limit}) == [("limit", message)]


def test_check_config_accepts_zero_and_the_default() -> None:
    assert LogRow.check_config({"limit": 0}) == []
    assert LogRow.check_config({}) == []


# A 100-character secret: log_row cuts its cell to 60 characters, and the cut text is no longer
# the value, so only the redactor's masking of pieces keeps it out of the log (SPEC §6).
LONG_SECRET = "tok-" + "".join(f"{i:02d}Qx{i * 7 % 97:02d}" for i in range(16))
SECRET_FLOW = """\
flow: {name: log_secret}
settings: {execution_mode: MODE}
modules:
  - id: rows
    name: fixed_rows
    configs:
      required:
        rows:
          - {note: "{{ secret('env:LOG_ROW_TOKEN') }}", a: x, b: y}
          - {note: "id-{{ secret('env:LOG_ROW_TOKEN') }}", a: x, b: y}
          - {note: n, a: "{{ secret('env:LOG_ROW_TOKEN')[:40] }}", b: "{{ secret('env:LOG_ROW_TOKEN')[40:] }}"}
  - {id: show, name: log_row}
connections:
  data: ["rows.data - show.input"]
"""


def _pieces(secret: str, k: int = 8) -> set[str]:
    return {secret[i : i + k] for i in range(len(secret) - k + 1)}


@pytest.mark.parametrize("mode", MODES)
def test_a_long_secret_cut_in_a_cell_or_split_over_columns_is_masked(
    mode: str, pypeline_flow: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert len(LONG_SECRET) == 100
    monkeypatch.setenv("LOG_ROW_TOKEN", LONG_SECRET)
    run = pypeline_flow(SECRET_FLOW.replace("MODE", mode))
    assert run.status == "success", run.summary
    table = next(e["message"] for e in run.of("log") if e["message"].startswith("first 3"))
    cells = [line.split() for line in table.splitlines()[2:]]
    assert cells == [["***...", "x", "y"], ["id-***...", "x", "y"], ["n", "***", "***"]]
    for path in run.job_dir.rglob("*"):
        if path.is_file():
            text = path.read_bytes().decode("utf-8", "replace")
            assert not [p for p in _pieces(LONG_SECRET) if p in text], path
