"""Whole flows: files → PostgreSQL → SQLite end to end, and the CLI's view of the pack.

The end-to-end flow is CSV → filter → PostgreSQL → aggregate → SQLite. The aggregation is a
``sql_source`` with a GROUP BY query (the database does the work, as a Talend user would with a
tDBInput), which also exercises reading back what the flow wrote.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pypeline_sql import engines

from .conftest import PG_URL

FLOW = """
flow: {{name: orders_to_warehouse}}
context:
  default: {{pg: "{pg}", table: {table}, min_amount: 10}}
modules:
  - id: read
    name: csv_source
    configs: {{required: {{file_path: data/orders.csv}}}}
  - id: keep
    name: filter_mod
    configs: {{required: {{condition: "amount > {{{{ context.min_amount }}}}"}}}}
  - id: load
    name: sql_sink
    configs:
      required: {{url: "{{{{ context.pg }}}}", table: "{{{{ context.table }}}}"}}
      optional: {{if_exists: replace, upsert_keys: [order_id]}}
  - id: totals
    name: sql_source
    configs:
      required: {{url: "{{{{ context.pg }}}}"}}
      optional:
        query: >-
          SELECT city, COUNT(*) AS orders, SUM(amount) AS total
          FROM {{{{ context.table }}}} WHERE amount > :floor GROUP BY city ORDER BY city
        params: {{floor: 0}}
  - id: save
    name: sql_sink
    configs: {{required: {{url: "sqlite:///out/warehouse.db", table: city_totals}}}}
connections:
  data:
    - "read.data - keep.input"
    - "keep.output - load.input"
    - "totals.data - save.input"
  control:
    - "load (1|) totals"
"""


def orders() -> pd.DataFrame:
    cities = ["Paris", "Zürich", "O'Fallon", "Boston"]
    return pd.DataFrame(
        {
            "order_id": range(1, 41),
            "city": [cities[i % 4] for i in range(40)],
            "amount": [round(5 + (i * 7.3) % 50, 2) for i in range(40)],
            "note": ['said "rush"' if i % 5 == 0 else "" for i in range(40)],
        }
    )


def test_csv_filter_postgresql_aggregate_sqlite(
    pypeline_flow: Any, tmp_path: Path, pg_table: str
) -> None:
    pytest.importorskip("pypeline_files", reason="the flow reads its CSV with csv_source")
    (tmp_path / "data").mkdir()
    orders().to_csv(tmp_path / "data" / "orders.csv", index=False)
    (tmp_path / "out").mkdir()

    run = pypeline_flow(FLOW.format(pg=PG_URL, table=pg_table))

    assert run.exit_code == 0, run.summary
    kept = orders()[orders().amount > 10]
    assert run.node("load")["rows_in"] == len(kept)
    want = (
        kept.groupby("city")
        .agg(orders=("order_id", "count"), total=("amount", "sum"))
        .reset_index()
        .sort_values("city")
    )
    with sqlite3.connect(tmp_path / "out" / "warehouse.db") as db:
        got = db.execute("SELECT city, orders, total FROM city_totals ORDER BY city").fetchall()
    assert [(c, n, round(t, 6)) for c, n, t in got] == [
        (c, n, round(t, 6)) for c, n, t in want.itertuples(index=False)
    ]
    run_id = run.run_dir.name
    assert run_id not in engines.open_runs()  # the run's engines were disposed at teardown


def test_validate_reports_bad_sql_options_with_their_place(pype: Any, tmp_path: Path) -> None:
    (tmp_path / "flow.yaml").write_text(
        """flow: {name: bad_sql}
modules:
  - id: src
    name: sql_source
    configs:
      required: {url: "sqlite:///x.db"}
      optional: {query: "SELECT 1", table: t}
  - id: out
    name: sql_sink
    configs:
      required: {url: "sqlite:///x.db", table: t}
      optional: {if_exists: overwrite}
connections:
  data: ["src.data - out.input"]
""",
        encoding="utf-8",
    )
    result = pype("validate", "flow.yaml")
    assert result.code == 2
    assert (
        "flow.yaml:7:" in result.output and "give either query or table, not both" in result.output
    )
    assert "flow.yaml:12:" in result.output
    assert "if_exists: must be one of append, replace, fail, truncate, not 'overwrite'" in (
        result.output
    )


def test_the_modules_are_listed_and_documented(pype: Any) -> None:
    listed = pype("list-modules")
    assert listed.code == 0
    for name in ("sql_source", "sql_sink", "sql_exec"):
        assert name in listed.output
    shown = pype("show-module", "sql_sink")
    assert shown.code == 0
    for option in ("url", "table", "schema", "if_exists", "upsert_keys", "batch_size"):
        assert option in shown.output
    assert "tDBOutput" in shown.output
