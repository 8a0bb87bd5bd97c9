"""csv_source hands Arrow on, pandas on demand: the same frames, and no pandas for CSV → Parquet."""

from __future__ import annotations

import subprocess
import sys
import threading

import pandas as pd
import pyarrow as pa
import pytest

from pypeline.testing import run_module
from pypeline_files.arrow_artifact import ArrowArtifact, wrap
from pypeline_files.csv_source import CsvSource
from pypeline_files.parquet_sink import ParquetSink

TEXT = "id,name,score,ok\n1,ann,1.5,true\n2,,2.5,false\n3,cy,,true\n"


@pytest.fixture
def sample(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text(TEXT)
    return path


def test_pandas_mode_output_converts_once_to_what_pandas_reads(sample):
    run = run_module(CsvSource, {"file_path": str(sample)})
    artifact = run.outputs["data"]

    assert isinstance(artifact, ArrowArtifact)
    assert artifact.n_rows == 3
    frame = artifact.to_pandas()
    pd.testing.assert_frame_equal(frame, pd.read_csv(sample))
    assert artifact.to_pandas() is frame
    assert artifact.to_frame("pandas") is frame
    assert artifact.to_arrow().column("id").to_pylist() == [1, 2, 3]  # rebuilt from the frame
    assert run.outputs["reject"].to_pandas().columns.tolist() == [
        "line_number",
        "raw_line",
        "error_message",
    ]


def test_concurrent_consumers_share_one_conversion(sample):
    artifact = run_module(CsvSource, {"file_path": str(sample)}).outputs["data"]
    frames, tables = [], []
    threads = [
        threading.Thread(target=lambda: frames.append(artifact.to_pandas())) for _ in range(4)
    ]
    threads += [
        threading.Thread(target=lambda: tables.append(artifact.to_arrow())) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert all(frame is frames[0] for frame in frames)
    assert all(table.num_rows == 3 for table in tables)


def test_to_dask_wraps_the_same_rows(sample):
    artifact = run_module(CsvSource, {"file_path": str(sample)}).outputs["data"]

    # Dask itself turns text into string[pyarrow] when it wraps a pandas frame.
    expected = pd.read_csv(sample)
    pd.testing.assert_frame_equal(artifact.to_dask().compute(), expected, check_dtype=False)


def test_tables_beyond_the_spill_threshold_are_handed_on_as_pandas():
    class Manager:
        spill_threshold_rows = 2

    big = wrap(pa.table({"a": [1, 2, 3]}), Manager())
    assert isinstance(big, pd.DataFrame)
    assert big["a"].tolist() == [1, 2, 3]
    assert isinstance(wrap(pa.table({"a": [1, 2, 3]}), None), ArrowArtifact)
    assert isinstance(wrap(pa.table({"a": [1, 2]}), Manager()), ArrowArtifact)


def test_parquet_sink_writes_the_arrow_table_without_converting(sample, tmp_path):
    data = run_module(CsvSource, {"file_path": str(sample)}).outputs["data"]
    arrow_out, pandas_out = tmp_path / "arrow.parquet", tmp_path / "pandas.parquet"
    run = run_module(ParquetSink, {"output_path": str(arrow_out)}, inputs={"input": data})
    run_module(ParquetSink, {"output_path": str(pandas_out)}, inputs={"input": pd.read_csv(sample)})

    assert run.globals["row_count"] == 3
    assert data._frame is None  # never converted to pandas
    pd.testing.assert_frame_equal(pd.read_parquet(arrow_out), pd.read_parquet(pandas_out))


def test_a_csv_to_parquet_job_never_imports_pandas(tmp_path, sample):
    flow = tmp_path / "flow.yaml"
    flow.write_text(f"""\
flow: {{name: no_pandas}}
modules:
  - {{id: src, name: csv_source, configs: {{required: {{file_path: "{sample}"}}}}}}
  - {{id: out, name: parquet_sink, configs: {{required: {{output_path: "{tmp_path}/o.parquet"}}}}}}
connections:
  data: ["src.data - out.input"]
""")
    code = (
        "import sys; from pypeline.cli.cli import main\n"
        f"sys.argv = ['pype', 'run', {str(flow)!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as done:\n"
        "    print('exit', done.code, 'pandas' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)

    assert out.stdout.strip().splitlines()[-1] == "exit 0 False", out.stderr
    assert pd.read_parquet(tmp_path / "o.parquet")["id"].tolist() == [1, 2, 3]
