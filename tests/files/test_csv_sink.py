"""csv_sink writes what pandas.to_csv writes, atomically, in both execution modes."""

from __future__ import annotations

import dask.dataframe as dd
import pandas as pd
import pytest

from pypeline.testing import run_module
from pypeline_files.csv_sink import CsvSink
from pypeline_files.csv_source import CsvSource


@pytest.fixture
def frame():
    return pd.DataFrame(
        {
            "id": range(1, 7),
            "name": ["ann", "bob, jr", None, "dee", 'e"ve', "fay"],
            "amount": [1.5, 2.0, None, 4.25, 5.0, 6.0],
        }
    )


def test_round_trip_matches_pandas(tmp_path, mode, frame):
    out = tmp_path / "out.csv"
    run = run_module(CsvSink, {"output_path": str(out)}, mode=mode, inputs={"input": frame})

    pd.testing.assert_frame_equal(pd.read_csv(out), frame)
    assert out.read_text() == frame.to_csv(index=False)
    assert run.globals["row_count"] == 6


def test_delimiter_and_no_header(tmp_path, mode, frame):
    out = tmp_path / "out.tsv"
    config = {"output_path": str(out), "delimiter": "\t", "header": False}
    run_module(CsvSink, config, mode=mode, inputs={"input": frame.head(2)})

    assert out.read_text() == "1\tann\t1.5\n2\tbob, jr\t2.0\n"


def test_creates_missing_parent_directories(tmp_path, mode, frame):
    out = tmp_path / "a" / "b" / "out.csv"
    run_module(CsvSink, {"output_path": str(out)}, mode=mode, inputs={"input": frame})

    assert len(pd.read_csv(out)) == 6


def test_overwrite_replaces_the_file(tmp_path, mode, frame):
    out = tmp_path / "out.csv"
    out.write_text("old,content\n1,2\n3,4\n5,6\n7,8\n9,10\n11,12\n13,14\n")
    run_module(CsvSink, {"output_path": str(out)}, mode=mode, inputs={"input": frame.head(1)})

    assert out.read_text() == "id,name,amount\n1,ann,1.5\n"


def test_append_adds_rows_without_repeating_the_header(tmp_path, mode):
    out = tmp_path / "log.csv"
    out.write_text("k,v\na,1\nb,2")  # no line break after the last row
    new = pd.DataFrame({"k": ["c", "d"], "v": [3, 4]})
    run = run_module(
        CsvSink, {"output_path": str(out), "mode": "append"}, mode=mode, inputs={"input": new}
    )

    assert out.read_text() == "k,v\na,1\nb,2\nc,3\nd,4\n"
    assert run.globals["row_count"] == 2


def test_append_to_a_missing_file_writes_the_header(tmp_path, mode):
    out = tmp_path / "new.csv"
    new = pd.DataFrame({"k": ["c"], "v": [3]})
    config = {"output_path": str(out), "mode": "append"}
    run_module(CsvSink, config, mode=mode, inputs={"input": new})
    run_module(CsvSink, config, mode=mode, inputs={"input": new})

    assert out.read_text() == "k,v\nc,3\nc,3\n"


def test_failed_pandas_write_leaves_the_old_file_and_no_temporary(tmp_path, frame, monkeypatch):
    out = tmp_path / "out.csv"
    out.write_text("previous\n")

    def half_then_fail(self, handle, **kwargs):
        handle.write(b"id,name\n1,half a row")
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_csv", half_then_fail)
    with pytest.raises(OSError, match="disk full"):
        run_module(CsvSink, {"output_path": str(out)}, inputs={"input": frame})

    assert out.read_text() == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


@pytest.mark.parametrize("mode_option", ["overwrite", "append"])
def test_failed_dask_write_leaves_the_old_file_and_no_temporary(tmp_path, frame, mode_option):
    out = tmp_path / "out.csv"
    out.write_text("id,name,amount\n0,zed,0.0\n")

    def fail_on_last(part):
        if 6 in part["id"].tolist():
            raise RuntimeError("partition exploded")
        return part

    lazy = dd.from_pandas(frame, npartitions=3).map_partitions(fail_on_last)
    config = {"output_path": str(out), "mode": mode_option}
    with pytest.raises(RuntimeError, match="partition exploded"):
        run_module(CsvSink, config, mode="dask", inputs={"input": lazy}, run_id="")

    assert out.read_text() == "id,name,amount\n0,zed,0.0\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_memory_url_round_trip_with_csv_source(memory_fs, mode, frame):
    url = "memory://exports/day/out.csv"
    run_module(CsvSink, {"output_path": url}, mode=mode, inputs={"input": frame})
    back = run_module(CsvSource, {"file_path": url}, mode=mode)

    pd.testing.assert_frame_equal(back.frame("data"), frame)
    assert memory_fs.ls("/exports/day", detail=False) == ["/exports/day/out.csv"]


@pytest.mark.parametrize(
    ("config", "key"),
    [
        ({"mode": "upsert"}, "mode"),
        ({"delimiter": "||"}, "delimiter"),
        ({"encoding": "?"}, "encoding"),
    ],
)
def test_check_config_refuses_bad_values(config, key):
    problems = CsvSink.check_config({"output_path": "o.csv", **config})

    assert [k for k, _ in problems] == [key]


def test_check_config_lists_the_modes():
    [(key, message)] = CsvSink.check_config({"output_path": "o.csv", "mode": "upsert"})

    assert key == "mode"
    assert message == "must be one of overwrite, append, not 'upsert'"


def test_utf8_sig_append_keeps_a_single_byte_order_mark(tmp_path, mode):
    out = tmp_path / "excel.csv"
    config = {"output_path": str(out), "mode": "append", "encoding": "utf-8-sig"}
    new = pd.DataFrame({"k": ["é"]})
    run_module(CsvSink, config, mode=mode, inputs={"input": new})
    run_module(CsvSink, config, mode=mode, inputs={"input": new})

    assert out.read_bytes() == b"\xef\xbb\xbfk\n\xc3\xa9\n\xc3\xa9\n"


def test_a_bad_value_reaching_the_run_is_refused_before_writing(tmp_path, frame):
    config = {"output_path": str(tmp_path / "o.csv"), "mode": "upsert"}  # e.g. from a template
    with pytest.raises(ValueError, match=r"\(csv_sink\): mode: must be one of overwrite, append"):
        run_module(CsvSink, config, inputs={"input": frame})

    assert list(tmp_path.iterdir()) == []
