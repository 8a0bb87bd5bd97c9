"""csv_source reads what pandas.read_csv reads, in both execution modes."""

from __future__ import annotations

import gzip
import io
import logging

import pandas as pd
import pytest

from pypeline.testing import run_module
from pypeline_files.csv_source import CsvSource

SAMPLE = (
    "id,name,amount,day,flag\n"
    "1,ann,1.5,2024-01-02,true\n"
    "2,,2.25,2024-01-03,false\n"
    "3,cy,,2024-01-04,true\n"
)


@pytest.fixture
def sample(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text(SAMPLE, encoding="utf-8")
    return path


def test_reads_the_same_rows_and_types_as_pandas(sample, mode):
    run = run_module(CsvSource, {"file_path": str(sample)}, mode=mode)

    expected = pd.read_csv(sample)
    pd.testing.assert_frame_equal(run.frame("data"), expected)
    assert str(run.frame("data")["day"].dtype) == "str"  # dates stay text unless asked


def test_dtypes_force_column_types_like_pandas(sample, mode):
    dtypes = {"id": "str", "amount": "float", "day": "datetime", "flag": "bool"}
    run = run_module(CsvSource, {"file_path": str(sample), "dtypes": dtypes}, mode=mode)

    expected = pd.read_csv(sample, dtype={"id": "str", "flag": "bool"}, parse_dates=["day"])
    pd.testing.assert_frame_equal(run.frame("data"), expected)
    assert run.frame("data")["day"].dt.day.tolist() == [2, 3, 4]


def test_dialect_options(tmp_path, mode):
    path = tmp_path / "latin.csv"
    text = "exported by tool\n\nid;label\n1;'caf\xe9; bar'\n2;th\xe9\n"
    path.write_bytes(text.encode("latin-1"))
    config = {
        "file_path": str(path),
        "delimiter": ";",
        "quotechar": "'",
        "encoding": "latin-1",
        "skip_rows": 2,
    }
    run = run_module(CsvSource, config, mode=mode)

    data = run.frame("data")
    assert data.columns.tolist() == ["id", "label"]
    assert data["label"].tolist() == ["caf\xe9; bar", "th\xe9"]


def test_header_false_names_columns_f0_f1(tmp_path, mode):
    path = tmp_path / "plain.csv"
    path.write_text("1,a\n2,b\n")
    run = run_module(CsvSource, {"file_path": str(path), "header": False}, mode=mode)

    expected = pd.read_csv(path, header=None, names=["f0", "f1"])
    pd.testing.assert_frame_equal(run.frame("data"), expected)


def test_column_names_replace_the_header(sample, mode):
    names = ["k", "who", "much", "when", "ok"]
    run = run_module(CsvSource, {"file_path": str(sample), "column_names": names}, mode=mode)

    assert run.frame("data").columns.tolist() == names
    assert len(run.frame("data")) == 3


def test_globals_row_count_and_file_size(sample, mode):
    run = run_module(CsvSource, {"file_path": str(sample)}, mode=mode, module_id="orders")

    assert run.globals["row_count"] == 3
    assert run.globals["file_size"] == sample.stat().st_size


def test_reject_port_is_an_empty_frame_when_all_lines_are_good(sample, mode):
    run = run_module(CsvSource, {"file_path": str(sample)}, mode=mode)

    reject = run.frame("reject")
    assert reject.columns.tolist() == ["line_number", "raw_line", "error_message"]
    assert reject.empty


def test_relative_path_is_relative_to_the_working_directory(sample, mode, monkeypatch):
    monkeypatch.chdir(sample.parent)
    run = run_module(CsvSource, {"file_path": "in.csv"}, mode=mode)

    assert len(run.frame("data")) == 3


def test_reads_fsspec_urls(memory_fs, mode):
    memory_fs.pipe("/bucket/in.csv", SAMPLE.encode())
    run = run_module(CsvSource, {"file_path": "memory://bucket/in.csv"}, mode=mode)

    assert run.frame("data")["name"].tolist()[::2] == ["ann", "cy"]
    assert run.globals["file_size"] == len(SAMPLE.encode())


def test_missing_file_names_the_path(tmp_path, mode):
    missing = tmp_path / "nope" / "missing.csv"
    with pytest.raises(FileNotFoundError, match=r"csv_source: no such file: .*missing\.csv"):
        run_module(CsvSource, {"file_path": str(missing)}, mode=mode)


def test_empty_file_gives_no_rows(tmp_path, mode):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    run = run_module(CsvSource, {"file_path": str(path)}, mode=mode)

    assert run.frame("data").empty
    assert run.globals["row_count"] == 0


def test_dtypes_naming_an_unknown_column_is_refused(sample, mode):
    config = {"file_path": str(sample), "dtypes": {"amout": "float"}}
    with pytest.raises(ValueError, match=r"not in .*in\.csv: amout \(columns: id, name"):
        run_module(CsvSource, config, mode=mode)


def test_dask_mode_skips_long_lines_and_warns_about_rejects(tmp_path, caplog):
    path = tmp_path / "bad.csv"
    path.write_text("a,b\n1,x\n2,y,extra\n3,z\n")
    with caplog.at_level(logging.WARNING):
        run = run_module(CsvSource, {"file_path": str(path)}, mode="dask")

    assert run.frame("data")["a"].tolist() == [1, 3]
    assert run.frame("reject").empty
    assert "rejects are a pandas-mode feature" in caplog.text


@pytest.mark.parametrize(
    ("config", "key", "fragment"),
    [
        ({"delimiter": ";;"}, "delimiter", "single character"),
        ({"quotechar": ""}, "quotechar", "single character"),
        ({"encoding": "klingon-8"}, "encoding", "unknown encoding"),
        ({"skip_rows": -1}, "skip_rows", "must be 0 or more"),
        ({"dtypes": {"a": "decimal"}}, "dtypes", "unknown type 'decimal'"),
        ({"column_names": ["a", "a"]}, "column_names", "more than once"),
    ],
)
def test_check_config_refuses_bad_values(config, key, fragment):
    problems = CsvSource.check_config({"file_path": "x.csv", **config})

    assert [k for k, _ in problems] == [key]
    assert fragment in problems[0][1]


def test_check_config_accepts_good_values():
    config = {"delimiter": "\t", "encoding": "cp1252", "dtypes": {"a": "int", "b": "datetime"}}
    assert CsvSource.check_config({"file_path": "x.csv", **config}) == []


@pytest.mark.parametrize("where", ["local", "memory"])
def test_gzipped_files_are_decompressed(tmp_path, memory_fs, mode, where):
    packed = gzip.compress(SAMPLE.encode())
    if where == "local":
        (tmp_path / "in.csv.gz").write_bytes(packed)
        url = str(tmp_path / "in.csv.gz")
    else:
        memory_fs.pipe("/zipped/in.csv.gz", packed)
        url = "memory://zipped/in.csv.gz"
    run = run_module(CsvSource, {"file_path": url}, mode=mode)

    pd.testing.assert_frame_equal(run.frame("data"), pd.read_csv(io.StringIO(SAMPLE)))
    assert run.globals["file_size"] == len(packed)
