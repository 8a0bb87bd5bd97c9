"""Every core transform in one flow, through the engine: the same rows in pandas and dask mode.

The default thread pool: in dask mode the engine runs one module at a time (on Python 3.11 two
threads building Dask graphs at once can deadlock in ``functools.cached_property``'s per-class
lock), so this flow of fifteen modules is the regression test for that hang.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

FLOW = """
flow: {name: chain}
settings: {execution_mode: MODE, threads: 4}
modules:
  - id: orders
    name: fixed_rows
    configs: {required: {rows: [
      {id: "1", cust: 1, amount: "10.5"}, {id: "2", cust: 2, amount: "x"},
      {id: "3", cust: 1, amount: "7"}, {id: "3", cust: 1, amount: "7"},
      {id: "4", cust: 9, amount: "1"}, {id: "5", cust: 2, amount: "30"}]}}
  - {id: people, name: fixed_rows, configs: {required: {rows: [{cust: 1, country: fr}, {cust: 2, country: de}]}}}
  - {id: typed, name: cast_mod, configs: {required: {types: {id: int, amount: float}}, optional: {errors: reject}}}
  - {id: unique, name: dedupe_mod}
  - {id: vat, name: compute_mod, configs: {required: {expressions: {gross: amount * 2, big: gross > 20}}}}
  - {id: j, name: join_mod, configs: {optional: {"on": cust}}}
  - {id: upper, name: python_mod, configs: {required: {function: "chain_fns:shout"}}}
  - {id: agg, name: aggregate_mod, configs: {required: {group_by: [country], aggregations: {n: "count(*)", total: "sum(gross)", bigs: "count_distinct(big)"}}}}
  - {id: rejects, name: union_mod}
  - {id: ranked, name: sort_mod, configs: {required: {by: [-total]}}}
  - {id: top, name: limit_mod, configs: {required: {rows: 5}}}
  - {id: cols, name: select_mod, configs: {optional: {rename: {n: orders}}}}
  - {id: show, name: log_row}
  - {id: show_rejects, name: log_row}
  - {id: show_dups, name: log_row}
connections:
  data:
    - orders.data - typed.input
    - typed.output - unique.input
    - unique.output - vat.input
    - vat.output - j.left
    - people.data - j.right
    - j.output - upper.input
    - upper.output - agg.input
    - agg.output - ranked.input
    - ranked.output - top.input
    - top.output - cols.input
    - cols.output - show.input
    - typed.reject - rejects.input1
    - j.reject - rejects.input2
    - rejects.output - show_rejects.input
    - unique.duplicates - show_dups.input
"""


def _tables(pypeline_flow: Any, tmp_path: Path, mode: str) -> dict[str, str]:
    sys.modules.pop("chain_fns", None)  # each test imports its own copy
    (tmp_path / "chain_fns.py").write_text(
        "def shout(df):\n    return df.assign(country=df['country'].str.upper())\n",
        encoding="utf-8",
    )
    run = pypeline_flow(FLOW.replace("MODE", mode))
    assert run.exit_code == 0, [e for e in run.of("module_end") if e["status"] != "success"]
    logs = [e for e in run.of("log") if e["node_id"].startswith("show")]
    return {e["node_id"]: e["message"] for e in logs if "first" in e["message"]}


@pytest.mark.parametrize("mode", ["pandas", "dask"])
def test_the_chain_gives_the_rows_pandas_gives(
    pypeline_flow: Any, tmp_path: Path, mode: str
) -> None:
    tables = _tables(pypeline_flow, tmp_path, mode)

    assert tables["show"].splitlines() == [
        "first 2 rows:",
        "country  orders  total  bigs",
        "     DE       1   60.0     1",
        "     FR       2   35.0     2",
    ]
    assert tables["show_dups"].splitlines()[1:] == [" id  cust  amount", "  3     1     7.0"]
    rejects = tables["show_rejects"].splitlines()
    assert rejects[0] == "first 2 rows:"
    assert "amount: cannot convert 'x' to float" in rejects[2]
    assert "no match in right for cust=9" in rejects[3]
