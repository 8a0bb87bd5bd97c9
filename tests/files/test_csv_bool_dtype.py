"""csv_source's ``bool`` dtype takes exactly the spellings of pypeline.sdk.values, as cast_mod
and to_bool do, in both modes; other values reject their row (pandas) or fail (dask)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pypeline.modules.mods.cast_mod import CastMod
from pypeline.sdk.values import FALSE_SPELLINGS, TRUE_SPELLINGS
from pypeline.testing import run_module
from pypeline_files.csv_source import CsvSource

SPELLINGS = [*TRUE_SPELLINGS, *FALSE_SPELLINGS]
CASES = [w for word in SPELLINGS for w in (word, word.upper(), word.title())]


def _write(tmp_path: Path, values: list[str]) -> Path:
    path = tmp_path / "in.csv"
    lines = ["id,flag", *(f'{i},"{v}"' for i, v in enumerate(values))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_every_shared_spelling_in_any_case(tmp_path: Path, mode: str) -> None:
    path = _write(tmp_path, [*CASES, " yes ", "\tF"])
    run = run_module(CsvSource, {"file_path": str(path), "dtypes": {"flag": "bool"}}, mode=mode)

    data = run.frame("data")
    truth = [w.lower() in TRUE_SPELLINGS for w in CASES]
    assert data["flag"].tolist() == [*truth, True, False]
    assert str(data["flag"].dtype) == "bool"


def test_the_same_values_as_cast_mod(tmp_path: Path, mode: str) -> None:
    values = ["t", "No", "Y", "0", "TRUE"]
    run = run_module(
        CsvSource,
        {"file_path": str(_write(tmp_path, values)), "dtypes": {"flag": "bool"}},
        mode=mode,
    )
    cast = run_module(
        CastMod, {"types": {"flag": "bool"}}, {"input": pd.DataFrame({"flag": values})}
    )
    assert run.frame("data")["flag"].tolist() == cast.frame("output")["flag"].tolist()


def test_nulls_stay_null_in_both_modes(tmp_path: Path, mode: str) -> None:
    path = tmp_path / "in.csv"
    path.write_text("id,flag\n1,t\n2,\n3,NA\n4,n\n", encoding="utf-8")
    run = run_module(CsvSource, {"file_path": str(path), "dtypes": {"flag": "bool"}}, mode=mode)
    assert run.frame("data")["flag"].tolist() == [True, None, None, False]


def test_other_values_reject_their_row_naming_the_value(tmp_path: Path) -> None:
    path = _write(tmp_path, ["yes", "maybe", "on", "f"])
    run = run_module(CsvSource, {"file_path": str(path), "dtypes": {"flag": "bool"}})

    assert run.frame("data").to_dict("records") == [
        {"id": 0, "flag": True},
        {"id": 3, "flag": False},
    ]
    assert run.frame("reject").to_dict("records") == [
        {
            "line_number": 3,
            "raw_line": '1,"maybe"',
            "error_message": "column 'flag': cannot convert 'maybe' to bool",
        },
        {
            "line_number": 4,
            "raw_line": '2,"on"',
            "error_message": "column 'flag': cannot convert 'on' to bool",
        },
    ]


def test_dask_mode_fails_naming_the_file_and_value(tmp_path: Path) -> None:
    path = _write(tmp_path, ["yes", "maybe"])
    config = {"file_path": str(path), "dtypes": {"flag": "bool"}}
    with pytest.raises(ValueError, match=r"cannot read .*in\.csv: column 'flag': cannot convert "):
        run_module(CsvSource, config, mode="dask")
