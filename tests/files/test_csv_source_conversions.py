"""csv_source (pandas mode): a value that does not convert to its declared type rejects its row.

The acceptance case of issue 4 is here: 1,000 data lines, 17 of them malformed in either way,
give 983 rows on ``data`` and 17 on ``reject``, each with its line number and reason. Files are
generated line by line so the expected line numbers never come from the code under test.
"""

from __future__ import annotations

import random

import pandas as pd
import pytest

from pypeline.testing import run_module
from pypeline_files.csv_source import CsvSource

DTYPES = {"id": "int", "score": "int", "day": "datetime"}


def write_lines(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def generate(path, *, rows=1000, bad=17, seed=4):
    """A header and ``rows`` data lines; ``bad`` of them broken in one of five ways."""
    rng = random.Random(seed)
    broken_at = set(rng.sample(range(rows), bad))
    breakers = [
        lambda i: (f"{i},name {i},{i % 90},2024-03-01,extra", "expected 4 fields, found 5"),
        lambda i: (f"{i},name {i}", "expected 4 fields, found 2"),
        lambda i: (f"{i},name {i},abc,2024-03-01", "column 'score': cannot convert 'abc' to int"),
        lambda i: (f"{i},name {i},12.5,2024-03-01", "column 'score': cannot convert '12.5' to int"),
        lambda i: (
            f"{i},name {i},7,not a day",
            "column 'day': cannot convert 'not a day' to datetime",
        ),
    ]
    lines, good, expected = ["id,name,score,day"], [], []
    for i in range(rows):
        if i in broken_at:
            line, reason = breakers[len(expected) % len(breakers)](i)
            lines.append(line)
            expected.append({"line_number": len(lines), "raw_line": line, "error_message": reason})
        else:
            lines.append(f"{i},name {i},{i % 90},2024-03-{i % 28 + 1:02d}")
            good.append(i)
    return write_lines(path, lines), good, expected


def test_1000_lines_with_17_malformed_give_983_rows_and_17_rejects(tmp_path):
    path, good, expected = generate(tmp_path / "people.csv")
    run = run_module(CsvSource, {"file_path": str(path), "dtypes": DTYPES})

    data, reject = run.frame("data"), run.frame("reject")
    assert (len(data), len(reject)) == (983, 17)
    assert reject.to_dict("records") == expected
    assert data["id"].tolist() == good
    assert data.dtypes.astype(str).to_dict() == {
        "id": "int64",
        "name": "str",
        "score": "int64",
        "day": "datetime64[us]",
    }
    # the good rows are exactly what pandas reads from the good lines alone
    clean = tmp_path / "clean.csv"
    bad_lines = {r["line_number"] for r in expected}
    lines = path.read_text().splitlines()
    write_lines(clean, [line for n, line in enumerate(lines, 1) if n not in bad_lines])
    pandas = pd.read_csv(clean, dtype={"id": "int64", "score": "int64"}, parse_dates=["day"])
    pd.testing.assert_frame_equal(data, pandas)
    assert run.globals["row_count"] == 983


def test_every_failing_column_of_a_row_is_named(tmp_path):
    path = write_lines(tmp_path / "in.csv", ["a,b,c", "1,2.5,true", "x,oops,maybe", "3,4,false"])
    dtypes = {"a": "int", "b": "float", "c": "bool"}
    run = run_module(CsvSource, {"file_path": str(path), "dtypes": dtypes})

    assert run.frame("data").to_dict("records") == [
        {"a": 1, "b": 2.5, "c": True},
        {"a": 3, "b": 4.0, "c": False},
    ]
    [reason] = run.frame("reject")["error_message"]
    assert reason == (
        "column 'a': cannot convert 'x' to int; column 'b': cannot convert 'oops' to float; "
        "column 'c': cannot convert 'maybe' to bool"
    )


@pytest.mark.parametrize(
    ("kind", "good", "bad"),
    [
        ("int", [" 7", "-3", "0"], ["1.0", "+-1", "99999999999999999999"]),
        ("float", ["1e3", " 2.5", "-.5", "inf"], ["1,5", "e3", "1.2.3"]),
        ("bool", ["true", "False", "1", "0", "yes", "T", " n "], ["maybe", "on", "2"]),
    ],
)
def test_what_each_type_accepts(tmp_path, kind, good, bad):
    lines = ["v", *(f'"{v}"' for v in good + bad)]
    path = write_lines(tmp_path / "in.csv", lines)
    run = run_module(CsvSource, {"file_path": str(path), "dtypes": {"v": kind}})

    assert len(run.frame("data")) == len(good)
    assert run.frame("reject")["line_number"].tolist() == list(range(2 + len(good), len(lines) + 1))


def test_empty_and_null_values_are_nulls_not_rejects(tmp_path):
    path = write_lines(tmp_path / "in.csv", ["a,b", "1,", ",x", "NA,y", "z,w"])
    run = run_module(CsvSource, {"file_path": str(path), "dtypes": {"a": "int"}})

    assert run.frame("data")["a"].isna().tolist() == [False, True, True]
    assert run.frame("reject")["line_number"].tolist() == [5]


def test_line_numbers_skip_blank_quoted_and_malformed_lines(tmp_path):
    lines = ["junk line", "k,n", "", '"a', 'two",1', "b,1,2", "", "c,bad", "d,4"]
    path = write_lines(tmp_path / "in.csv", lines)
    config = {"file_path": str(path), "skip_rows": 1, "dtypes": {"n": "int"}}
    run = run_module(CsvSource, config)

    assert run.frame("reject").to_dict("records") == [
        {"line_number": 6, "raw_line": "b,1,2", "error_message": "expected 2 fields, found 3"},
        {
            "line_number": 8,
            "raw_line": "c,bad",
            "error_message": "column 'n': cannot convert 'bad' to int",
        },
    ]
    assert run.frame("data")["k"].tolist() == ["a\ntwo", "d"]


def test_a_bad_value_in_a_gzipped_file_is_rejected_too(tmp_path):
    import gzip

    path = tmp_path / "in.csv.gz"
    path.write_bytes(gzip.compress(b"a\n1\nx\n3\n"))
    run = run_module(CsvSource, {"file_path": str(path), "dtypes": {"a": "int"}})

    assert run.frame("data")["a"].tolist() == [1, 3]
    assert run.frame("reject")[["line_number", "raw_line"]].values.tolist() == [[3, "x"]]


def test_dask_mode_names_the_file_and_value_that_does_not_convert(tmp_path):
    path = write_lines(tmp_path / "in.csv", ["a,b", "1,x", "zz,y"])
    with pytest.raises(ValueError, match=r"cannot read .*in\.csv: .*'zz' \(dask mode has no"):
        run_module(CsvSource, {"file_path": str(path), "dtypes": {"a": "int"}}, mode="dask")
