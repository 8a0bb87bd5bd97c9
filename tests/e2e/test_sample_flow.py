"""The README's promise: the seed's sample flow builds and runs, and writes exactly the adults."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pandas as pd

from pypeline.testing import only_run_dir, read_events

REPO = Path(__file__).resolve().parents[2]


def test_sample_flow_builds_runs_and_keeps_exactly_the_adults(pype: Any, tmp_path: Path) -> None:
    shutil.copytree(REPO / "examples" / "sample_etl", tmp_path / "examples" / "sample_etl")
    flow = "examples/sample_etl/sample_etl.yaml"
    built = pype("build", flow)
    assert built.code == 0, built.output
    assert "inside one sub flow" in built.err  # the seed's two redundant control edges
    job = tmp_path / "jobs" / "sample_etl"
    assert (job / "sample_etl_dag.json").is_file()

    result = pype("run", "jobs/sample_etl")
    assert result.code == 0, result.output

    people = pd.read_csv(tmp_path / flow.replace("sample_etl.yaml", "data/people.csv"))
    adults = pd.read_parquet(tmp_path / "examples/sample_etl/output/adults.parquet")
    expected = people[people.age > 18].reset_index(drop=True)
    pd.testing.assert_frame_equal(adults, expected, check_dtype=False)
    assert len(adults) == 6 and (adults.age > 18).all()

    run_dir = only_run_dir(job)
    events = read_events(run_dir)
    kinds = [e["event"] for e in events]
    assert kinds[0] == "job_start" and kinds[-1] == "job_end"
    assert kinds.count("module_end") == 3
    summary = json.loads((run_dir / "summary.json").read_text())
    assert summary["status"] == "success"
    assert summary["nodes"]["source_csv"]["rows_out"] == 10
    assert summary["nodes"]["transform_data"]["rows_out"] == 6
    assert summary["nodes"]["output_parquet"]["rows_in"] == 6


def test_third_party_module_runs_in_a_flow(pype: Any, tmp_path: Path) -> None:
    (tmp_path / "flow.yaml").write_text(
        """
flow: {name: greetings}
modules:
  - id: greet
    name: greet_source
    configs: {optional: {names: [Ada, Linus], greeting: Hi}}
  - {id: shout, name: upper_mod}
  - {id: out, name: csv_sink, configs: {required: {output_path: out/greetings.csv}}}
connections:
  data: ["greet.data - shout.input", "shout.output - out.input"]
""",
        encoding="utf-8",
    )
    listed = pype("list-modules")
    assert any(
        line.split()[:3] == ["greet_source", "source", "pypeline-mods-example"]
        for line in listed.out.splitlines()
    ), listed.out
    result = pype("run", "flow.yaml")
    assert result.code == 0, result.output
    rows = pd.read_csv(tmp_path / "out" / "greetings.csv")
    assert rows["message"].tolist() == ["HI, ADA!", "HI, LINUS!"]
