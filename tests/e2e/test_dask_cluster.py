"""``execution_mode: dask`` on a dask.distributed cluster chosen by the deployment (SPEC §9)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

FLOW = """
flow: {name: on_dask}
settings: {execution_mode: dask}
modules:
  - {id: src, name: csv_source, configs: {required: {file_path: in.csv}}}
  - {id: keep, name: filter_mod, configs: {required: {condition: "v % 2 == 0"}}}
  - {id: out, name: parquet_sink, configs: {required: {output_path: out/even.parquet}}}
connections:
  data: ["src.data - keep.input", "keep.output - out.input"]
"""


def test_a_local_cluster_from_the_deployment_runs_the_flow(pype: Any, tmp_path: Path) -> None:
    pd.DataFrame({"v": range(1000)}).to_csv(tmp_path / "in.csv", index=False)
    (tmp_path / "flow.yaml").write_text(FLOW)
    result = pype("run", "flow.yaml", "--log-format", "json", env={"PYPELINE_DASK_WORKERS": "2"})
    assert result.code == 0, result.output
    assert "dask: local cluster of 2 workers" in result.err
    even = pd.read_parquet(tmp_path / "out" / "even.parquet")
    assert sorted(even.v) == list(range(0, 1000, 2))


def test_an_unreachable_scheduler_is_one_line(pype: Any, tmp_path: Path) -> None:
    pd.DataFrame({"v": range(10)}).to_csv(tmp_path / "in.csv", index=False)
    (tmp_path / "flow.yaml").write_text(FLOW)
    result = pype("run", "flow.yaml", env={"PYPELINE_DASK_ADDRESS": "tcp://127.0.0.1:9"})
    assert result.code == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.err
    assert "Traceback" not in result.output
