"""excel_source and excel_sink read and write what pandas.read_excel and to_excel do."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from pypeline.testing import run_module
from pypeline_files.excel_sink import ExcelSink
from pypeline_files.excel_source import ExcelSource


@pytest.fixture
def frame():
    return pd.DataFrame(
        {
            "id": [1, 2, 3],
            "name": ["Ann", None, "Zoë"],
            "amount": [1.5, None, 2.25],
            "when": pd.to_datetime(["2024-01-02 00:00:00", "2024-01-03 04:05:06", None]),
        }
    )


@pytest.fixture
def workbook(tmp_path, frame):
    """Two sheets; "Orders" has two title lines above its header."""
    path = tmp_path / "book.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Summary"
    book.active.append(["total", 3])
    orders = book.create_sheet("Orders")
    orders.append(["Orders export"])
    orders.append([])
    orders.append(list(frame.columns))
    for row in frame.astype(object).where(frame.notna(), None).itertuples(index=False):
        orders.append(list(row))
    book.save(path)
    return path


def test_source_reads_a_sheet_by_name_like_pandas(workbook, frame):
    config = {"file_path": str(workbook), "sheet": "Orders", "skip_rows": 2}
    run = run_module(ExcelSource, config)

    expected = pd.read_excel(workbook, sheet_name="Orders", skiprows=2)
    pd.testing.assert_frame_equal(run.frame("data"), expected)
    pd.testing.assert_frame_equal(run.frame("data"), frame, check_dtype=False)
    assert run.globals["row_count"] == 3
    assert run.globals["file_size"] == workbook.stat().st_size


def test_source_sheet_by_position_and_without_header(workbook):
    run = run_module(ExcelSource, {"file_path": str(workbook), "header": False})

    assert run.frame("data").to_dict("records") == [{"f0": "total", "f1": 3}]


def test_source_unknown_sheet_lists_the_sheets(workbook):
    for sheet in ("Sales", 2):
        with pytest.raises(ValueError, match=r"has no sheet .* \(sheets: Summary, Orders\)"):
            run_module(ExcelSource, {"file_path": str(workbook), "sheet": sheet})


def test_source_refuses_a_file_that_is_not_a_workbook(tmp_path):
    (tmp_path / "fake.xlsx").write_text("id,name\n1,a\n")
    with pytest.raises(ValueError, match=r"fake\.xlsx is not an \.xlsx workbook"):
        run_module(ExcelSource, {"file_path": str(tmp_path / "fake.xlsx")})


def test_sink_writes_what_pandas_reads_back(tmp_path, frame):
    ours, theirs = tmp_path / "ours.xlsx", tmp_path / "theirs.xlsx"
    run = run_module(
        ExcelSink, {"output_path": str(ours), "sheet": "People"}, inputs={"input": frame}
    )
    frame.to_excel(theirs, sheet_name="People", index=False)

    assert openpyxl.load_workbook(ours).sheetnames == ["People"]
    pd.testing.assert_frame_equal(
        pd.read_excel(ours, sheet_name="People"), pd.read_excel(theirs, sheet_name="People")
    )
    assert run.globals["row_count"] == 3


def test_sink_keep_other_sheets_replaces_only_its_sheet(workbook, frame):
    config = {"output_path": str(workbook), "sheet": "Orders", "keep_other_sheets": True}
    run_module(ExcelSink, config, inputs={"input": frame.head(1)})
    run_module(ExcelSink, {**config, "sheet": "New"}, inputs={"input": frame})

    book = openpyxl.load_workbook(workbook)
    assert book.sheetnames == ["Summary", "Orders", "New"]
    assert [c.value for c in book["Summary"][1]] == ["total", 3]
    assert len(pd.read_excel(workbook, sheet_name="Orders")) == 1

    run_module(ExcelSink, {"output_path": str(workbook)}, inputs={"input": frame})
    assert openpyxl.load_workbook(workbook).sheetnames == ["Sheet1"]


def test_round_trip_on_a_memory_url(memory_fs, frame):
    url = "memory://reports/people.xlsx"
    run_module(ExcelSink, {"output_path": url, "header": True}, inputs={"input": frame})
    back = run_module(ExcelSource, {"file_path": url})

    pd.testing.assert_frame_equal(back.frame("data"), frame, check_dtype=False)


def test_sink_error_names_the_file_and_keeps_the_old_one(tmp_path, frame):
    out = tmp_path / "out.xlsx"
    frame.to_excel(out, index=False)
    before = out.read_bytes()
    zoned = frame.assign(when=frame["when"].dt.tz_localize("Europe/Paris"))
    with pytest.raises(ValueError, match=r"excel_sink: cannot write .*out\.xlsx: .*timezones"):
        run_module(ExcelSink, {"output_path": str(out)}, inputs={"input": zoned})
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]


@pytest.mark.parametrize(
    ("module", "config", "key", "fragment"),
    [
        (ExcelSink, {"sheet": "x" * 32}, "sheet", "at most 31"),
        (ExcelSink, {"sheet": "a/b"}, "sheet", "cannot contain /"),
        (ExcelSource, {"sheet": -1}, "sheet", "from 0"),
        (ExcelSource, {"sheet": [1]}, "sheet", "name or a position"),
        (ExcelSource, {"file_path": "old.xls"}, "file_path", "legacy .xls"),
        (ExcelSource, {"skip_rows": -2}, "skip_rows", "must be 0 or more"),
    ],
)
def test_check_config_refuses_bad_values(module, config, key, fragment):
    [(found, message)] = module.check_config(config)
    assert found == key
    assert fragment in message


def test_both_refuse_dask_mode_in_their_metadata():
    assert ExcelSource.metadata()["dask"] is False
    assert ExcelSink.metadata()["dask"] is False
