"""Kedro's spaceflights data processing as a flow without python_mod gives Kedro's table.

The sample is generated (``examples/spaceflights/make_data.py``) into a copy of the example,
the flow runs through the real ``pype run``, and its model input table must equal what
Kedro's own node functions (``BY_HAND``, in plain pandas, as in the spaceflights starter)
make of the same files; the rows ``dropna`` drops silently are in ``incomplete_rows.csv``.
"""

from __future__ import annotations

import runpy
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

REPO = Path(__file__).resolve().parents[2]
FLOW = "examples/spaceflights/spaceflights.yaml"


def _is_true(x: pd.Series) -> pd.Series:
    return x == "t"


def _parse_percentage(x: pd.Series) -> pd.Series:
    return x.str.replace("%", "").astype(float) / 100


def _parse_money(x: pd.Series) -> pd.Series:
    return x.str.replace("$", "").str.replace(",", "").astype(float)


def by_hand(data: Path) -> tuple[pd.DataFrame, int]:
    """Kedro's three nodes on the raw files: the model input table and the rows dropna drops."""
    companies = pd.read_csv(data / "companies.csv")
    shuttles = pd.read_csv(data / "shuttles.csv")
    reviews = pd.read_csv(data / "reviews.csv")
    companies["iata_approved"] = _is_true(companies["iata_approved"])
    companies["company_rating"] = _parse_percentage(companies["company_rating"])
    for column in ("d_check_complete", "moon_clearance_complete"):
        shuttles[column] = _is_true(shuttles[column])
    shuttles["price"] = _parse_money(shuttles["price"])
    rated_shuttles = shuttles.merge(reviews, left_on="id", right_on="shuttle_id")
    rated_shuttles = rated_shuttles.drop("id", axis=1)
    table = rated_shuttles.merge(companies, left_on="company_id", right_on="id")
    complete = table.dropna()
    return complete.reset_index(drop=True), len(table) - len(complete)


def test_spaceflights_flow_equals_kedros_steps_in_pandas(pype: Any, tmp_path: Path) -> None:
    example = tmp_path / "examples" / "spaceflights"
    shutil.copytree(REPO / "examples" / "spaceflights", example, ignore=_generated)
    runpy.run_path(str(example / "make_data.py"))["make"](example / "data")

    result = pype("run", FLOW)
    assert result.code == 0, result.output
    flow = yaml.safe_load((example / "spaceflights.yaml").read_text(encoding="utf-8"))
    assert "python_mod" not in {m["name"] for m in flow["modules"]}

    expected, dropped = by_hand(example / "data")
    table = pd.read_parquet(example / "output" / "model_input_table.parquet")
    assert len(table.columns) == 27 and len(table) > 100 and dropped > 10
    pd.testing.assert_frame_equal(table, expected, check_dtype=False)
    assert table["price"].dtype.kind == "f" and table["iata_approved"].dtype.kind == "b"

    incomplete = pd.read_csv(example / "output" / "incomplete_rows.csv")
    assert len(incomplete) == dropped
    unreviewed = pd.read_csv(example / "output" / "unreviewed_shuttles.csv")
    assert len(unreviewed) > 0 and not set(unreviewed["id"]) & set(table["shuttle_id"])


def _generated(folder: str, names: list[str]) -> set[str]:
    """Leave out data and output a local run of the example made."""
    return {n for n in names if n in ("data", "output", "__pycache__")}
