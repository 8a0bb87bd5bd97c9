"""No sink replaces a folder or a file that PYpeline did not write (SPEC §3), and every sink
may replace what it wrote itself (a Parquet dataset, in either mode). file_copy and file_move:
test_transfer_refusals.py."""

from __future__ import annotations

from typing import Any

import dask.dataframe as dd
import pandas as pd
import pytest

from pypeline.testing import run_module
from pypeline_files.csv_sink import CsvSink
from pypeline_files.excel_sink import ExcelSink
from pypeline_files.file_archive import FileArchive
from pypeline_files.json_sink import JsonSink
from pypeline_files.parquet_sink import ParquetSink
from pypeline_files.parquet_source import ParquetSource

from .folders import snapshot, user_folder

FRAME = pd.DataFrame({"id": [1, 2, 3], "city": ["Paris", "Lyon", "Paris"]})


def inputs_for(mode: str, frame: pd.DataFrame = FRAME) -> dict[str, Any]:
    return {"input": dd.from_pandas(frame, npartitions=2) if mode == "dask" else frame}


FILE_SINKS = [
    (CsvSink, {}),
    (CsvSink, {"mode": "append"}),
    (JsonSink, {}),
    (ParquetSink, {}),
]


@pytest.mark.parametrize(("sink", "extra"), FILE_SINKS, ids=["csv", "csv-append", "json", "pq"])
def test_a_file_sink_refuses_a_folder(tmp_path, mode, sink, extra):
    folder = user_folder(tmp_path / "reports")
    before = snapshot(folder)
    config = {"output_path": str(folder), **extra}
    if sink is ParquetSink and mode == "dask":  # dask writes a dataset: a folder for a folder
        expected = r"is a directory that PYpeline did not write; refusing to replace it with a dir"
    else:
        expected = r"is a directory that PYpeline did not write; refusing to replace it with a file"

    with pytest.raises(IsADirectoryError, match=rf"^{sink.NAME}: {folder} {expected}"):
        run_module(sink, config, mode=mode, inputs=inputs_for(mode))

    assert snapshot(folder) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reports"]  # no ledger, no temporary


def test_excel_sink_and_file_archive_refuse_a_folder(tmp_path):
    folder = user_folder(tmp_path / "reports")
    before = snapshot(folder)
    with pytest.raises(IsADirectoryError, match=rf"^excel_sink: {folder} is a directory"):
        run_module(ExcelSink, {"output_path": str(folder)}, inputs={"input": FRAME})
    (tmp_path / "data.csv").write_text("a\n1\n")
    config = {"source": str(tmp_path / "data.csv"), "output_path": str(folder), "format": "zip"}
    with pytest.raises(IsADirectoryError, match=rf"^file_archive: {folder} is a directory"):
        run_module(FileArchive, config)

    assert snapshot(folder) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.csv", "reports"]


@pytest.mark.parametrize(
    ("mode", "partitioned"), [("pandas", True), ("dask", False), ("dask", True)]
)  # pandas mode without partitions writes one file: over a file, an ordinary overwrite
def test_a_dataset_refuses_a_users_file(tmp_path, mode, partitioned):
    target = tmp_path / "sales"
    target.write_text("my notes, not a Parquet file\n")
    config = {"output_path": str(target), "partition_cols": ["city"] if partitioned else []}

    with pytest.raises(FileExistsError, match=rf"^parquet_sink: {target} is a file that PYpeline"):
        run_module(ParquetSink, config, mode=mode, inputs=inputs_for(mode))

    assert target.read_text() == "my notes, not a Parquet file\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sales"]


def test_a_file_sink_in_memory_fs_refuses_a_folder(memory_fs):
    memory_fs.pipe("/exports/reports/q1.csv", b"a\n1\n")
    with pytest.raises(IsADirectoryError, match=r"memory://exports/reports is a directory"):
        run_module(CsvSink, {"output_path": "memory://exports/reports"}, inputs={"input": FRAME})
    assert memory_fs.cat("/exports/reports/q1.csv") == b"a\n1\n"


@pytest.mark.parametrize("partitioned", [False, True])
def test_parquet_sink_rewrites_its_own_output_in_either_mode(tmp_path, partitioned):
    """pandas → dask → dask → pandas: file, dataset, dataset, file; each run replaces the last."""
    target = tmp_path / "sales"
    config = {"output_path": str(target), "partition_cols": ["city"] if partitioned else []}
    for number, mode in enumerate(["pandas", "dask", "dask", "pandas"]):
        frame = FRAME.assign(id=FRAME.id + 10 * number)
        run_module(ParquetSink, config, mode=mode, inputs=inputs_for(mode, frame))
        back = run_module(ParquetSource, {"file_path": str(target)}).frame("data")
        assert sorted(back["id"]) == [1 + 10 * number, 2 + 10 * number, 3 + 10 * number]
        assert target.is_dir() == (partitioned or mode == "dask")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sales"]  # no temporary left


def test_a_file_sink_replaces_a_dataset_that_parquet_sink_wrote(tmp_path):
    target = tmp_path / "out"
    config = {"output_path": str(target), "partition_cols": ["city"]}
    run_module(ParquetSink, config, inputs={"input": FRAME})
    run_module(CsvSink, {"output_path": str(target)}, inputs={"input": FRAME})
    assert pd.read_csv(target).id.tolist() == [1, 2, 3]


FLOW = """\
flow: {{name: refuse}}
modules:
  - {{id: rows, name: fixed_rows, configs: {{required: {{rows: [{{a: 1}}]}}}}}}
  - {{id: out, name: {sink}, configs: {{required: {{output_path: reports}}}}}}
connections:
  data: ["rows.data - out.input"]
"""


@pytest.mark.parametrize("sink", ["csv_sink", "json_sink", "excel_sink", "parquet_sink"])
def test_the_job_fails_naming_the_module_and_the_folder(tmp_path, pype, sink):
    folder = user_folder(tmp_path / "reports")
    before = snapshot(folder)
    (tmp_path / "flow.yaml").write_text(FLOW.format(sink=sink))

    result = pype("run", "flow.yaml")

    assert result.code == 1, result.output
    assert f"{sink}: reports is a directory that PYpeline did not write" in result.output
    assert "Traceback" not in result.output
    assert snapshot(folder) == before
