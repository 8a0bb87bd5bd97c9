"""csv_source (pandas mode) sends malformed lines to ``reject`` with their physical line number.

Each file is built line by line, so a line's index in the list is the line number an editor
shows; the expected numbers never come from the code under test.
"""

from __future__ import annotations

import pandas as pd

from pypeline.testing import run_module
from pypeline_files.csv_source import CsvSource


def write_lines(path, lines, newline="\n"):
    path.write_bytes((newline.join(lines) + newline).encode())
    return path


def test_malformed_lines_go_to_reject_with_line_text_and_reason(tmp_path):
    lines = ["id,name,score", "1,ann,10", "2,bob,20,extra", "3,cy,30", "4,dee", "5,eve,50"]
    path = write_lines(tmp_path / "in.csv", lines)
    run = run_module(CsvSource, {"file_path": str(path)})

    assert run.frame("data")["id"].tolist() == [1, 3, 5]
    assert run.globals["row_count"] == 3
    assert run.frame("reject").to_dict("records") == [
        {
            "line_number": 3,
            "raw_line": "2,bob,20,extra",
            "error_message": "expected 3 fields, found 4",
        },
        {"line_number": 5, "raw_line": "4,dee", "error_message": "expected 3 fields, found 2"},
    ]


def test_line_numbers_are_physical_in_a_large_multithreaded_read(tmp_path):
    """Several pyarrow blocks, CRLF endings, blank lines and quoted line breaks before rejects."""
    lines = ["id,text,n"]
    bad = {}
    for i in range(1, 40_000):
        if i == 7:
            lines += ['7,"first half', 'second half",7']  # one row, two physical lines
        elif i in (11, 25_000, 39_990):
            lines.append(f"{i},x,{i},surplus")
            bad[len(lines)] = lines[-1]
        elif i == 30_000:
            lines += ["", f"{i},short"]  # a blank line, then a short row
            bad[len(lines)] = lines[-1]
        else:
            lines.append(f"{i},text number {i},{i}")
    path = write_lines(tmp_path / "big.csv", lines, newline="\r\n")
    assert path.stat().st_size > 2**20  # more than one of pyarrow's 1 MiB blocks

    run = run_module(CsvSource, {"file_path": str(path)})

    reject = run.frame("reject")
    assert dict(zip(reject["line_number"], reject["raw_line"], strict=True)) == bad
    assert len(run.frame("data")) == 39_999 - len(bad)
    assert run.frame("data").loc[6, "text"] == "first half\r\nsecond half"
    assert reject["line_number"].dtype == "int64"


def test_line_numbers_count_skipped_rows_and_a_missing_header(tmp_path):
    lines = ["report of the day", "1,a", "2,b,c", "3,c"]
    path = write_lines(tmp_path / "in.csv", lines)
    config = {"file_path": str(path), "header": False, "skip_rows": 1}
    run = run_module(CsvSource, config)

    assert run.frame("data").columns.tolist() == ["f0", "f1"]
    assert run.frame("reject")["line_number"].tolist() == [3]


def test_rejected_line_with_a_quoted_line_break_keeps_its_text(tmp_path):
    lines = ["a,b", "1,x", '2,"y', 'z",oops', "3,w"]
    path = write_lines(tmp_path / "in.csv", lines)
    run = run_module(CsvSource, {"file_path": str(path)})

    assert run.frame("reject").to_dict("records") == [
        {
            "line_number": 3,
            "raw_line": '2,"y\nz",oops',
            "error_message": "expected 2 fields, found 3",
        }
    ]
    assert run.frame("data")["a"].tolist() == [1, 3]


def test_data_rows_match_pandas_skipping_the_bad_lines(tmp_path):
    lines = ["k,v", "a,1", "b,2,3", "c,3"]
    path = write_lines(tmp_path / "in.csv", lines)
    run = run_module(CsvSource, {"file_path": str(path)})

    expected = pd.read_csv(path, on_bad_lines="skip")
    pd.testing.assert_frame_equal(run.frame("data"), expected)


def test_a_value_that_does_not_convert_to_its_dtype_rejects_its_row(tmp_path):
    rows = ["n"] + [str(i) for i in range(200_000)] + ["not a number"]
    path = write_lines(tmp_path / "in.csv", rows)
    config = {"file_path": str(path)}

    # pyarrow widens a column to text when a later block needs it: no error, like pandas.
    assert run_module(CsvSource, config).frame("data")["n"].iloc[-1] == "not a number"
    run = run_module(CsvSource, {**config, "dtypes": {"n": "int"}})

    assert run.frame("data")["n"].tolist() == list(range(200_000))
    assert run.frame("data")["n"].dtype == "int64"
    assert run.frame("reject").to_dict("records") == [
        {
            "line_number": 200_002,
            "raw_line": "not a number",
            "error_message": "column 'n': cannot convert 'not a number' to int",
        }
    ]
    assert run.globals["row_count"] == 200_000


def test_quoted_line_breaks_across_block_boundaries_are_read_whole(tmp_path):
    """Many values span two lines: some straddle pyarrow's 1 MiB block boundaries."""
    lines = ["id,note,n"]
    for i in range(60_000):
        lines += [f'{i},"first part {i}', f'second part {i}",{i}']
    path = write_lines(tmp_path / "notes.csv", lines)
    assert path.stat().st_size > 2 * 2**20

    run = run_module(CsvSource, {"file_path": str(path)})

    data = run.frame("data")
    assert run.frame("reject").empty
    assert data["id"].tolist() == list(range(60_000))
    assert data["note"].iloc[-1] == "first part 59999\nsecond part 59999"
    pd.testing.assert_frame_equal(data, pd.read_csv(path))
