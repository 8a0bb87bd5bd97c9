"""parquet_sink and parquet_source round-trip what pandas reads and writes, in both modes."""

from __future__ import annotations

import dask.dataframe as dd
import pandas as pd
import pyarrow.parquet as pq
import pytest

from pypeline.testing import run_module
from pypeline_files.parquet_sink import ParquetSink
from pypeline_files.parquet_source import ParquetSource


@pytest.fixture
def frame():
    return pd.DataFrame(
        {
            "id": range(1, 9),
            "city": ["Paris", "Lyon", None, "Nice", "Paris", "Lyon", "Nice", "Paris"],
            "amount": [1.5, 2.0, None, 4.25, 5.0, 6.0, 7.5, 8.0],
            "when": pd.date_range("2024-01-01", periods=8, freq="D"),
        }
    )


def test_sink_writes_what_pandas_reads(tmp_path, mode, frame):
    out = tmp_path / "out.parquet"
    run = run_module(ParquetSink, {"output_path": str(out)}, mode=mode, inputs={"input": frame})

    # Dask itself turns text into string[pyarrow] when it wraps a pandas frame.
    pd.testing.assert_frame_equal(pd.read_parquet(out), frame, check_dtype=mode == "pandas")
    assert pd.read_parquet(out).dtypes["when"] == "datetime64[us]"
    assert run.globals["row_count"] == 8
    assert out.is_file() if mode == "pandas" else out.is_dir()


def test_sink_uses_the_requested_compression(tmp_path, frame):
    out = tmp_path / "out.parquet"
    config = {"output_path": str(out), "compression": "zstd"}
    run_module(ParquetSink, config, inputs={"input": frame})

    assert pq.ParquetFile(out).metadata.row_group(0).column(0).compression == "ZSTD"


def test_sink_replaces_an_output_of_the_other_mode(tmp_path, frame):
    out = tmp_path / "out.parquet"
    config = {"output_path": str(out)}
    run_module(ParquetSink, config, mode="dask", inputs={"input": frame})
    run_module(ParquetSink, config, mode="pandas", inputs={"input": frame.head(3)})
    assert out.is_file()
    assert len(pd.read_parquet(out)) == 3

    run_module(ParquetSink, config, mode="dask", inputs={"input": frame.head(5)})
    assert out.is_dir()
    assert len(pd.read_parquet(out)) == 5
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.parquet"]


def test_failed_pandas_write_leaves_the_old_file_and_no_temporary(tmp_path, frame, monkeypatch):
    out = tmp_path / "out.parquet"
    frame.head(2).to_parquet(out)
    before = out.read_bytes()

    def half_then_fail(table, where, **kwargs):
        with open(where, "wb") as handle:
            handle.write(b"PAR1 half a file")
        raise OSError("disk full")

    monkeypatch.setattr(pq, "write_table", half_then_fail)
    with pytest.raises(OSError, match="disk full"):
        run_module(ParquetSink, {"output_path": str(out)}, inputs={"input": frame})

    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.parquet"]


def test_failed_dask_write_leaves_the_old_dataset_and_no_temporary(tmp_path, frame):
    out = tmp_path / "out.parquet"
    run_module(ParquetSink, {"output_path": str(out)}, mode="dask", inputs={"input": frame})
    before = sorted(p.name for p in out.iterdir())

    def fail_on_last(part):
        if 8 in part["id"].tolist():
            raise RuntimeError("partition exploded")
        return part

    lazy = dd.from_pandas(frame.head(8), npartitions=4).map_partitions(fail_on_last)
    with pytest.raises(RuntimeError, match="partition exploded"):
        run_module(ParquetSink, {"output_path": str(out)}, mode="dask", inputs={"input": lazy})

    assert sorted(p.name for p in out.iterdir()) == before
    pd.testing.assert_frame_equal(pd.read_parquet(out), frame, check_dtype=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.parquet"]


def test_source_reads_what_pandas_reads(tmp_path, mode, frame):
    path = tmp_path / "in.parquet"
    frame.to_parquet(path, index=False)
    run = run_module(ParquetSource, {"file_path": str(path)}, mode=mode)

    pd.testing.assert_frame_equal(run.frame("data"), pd.read_parquet(path))
    assert run.globals["row_count"] == 8


def test_source_reads_only_the_listed_columns_in_order(tmp_path, mode, frame):
    path = tmp_path / "in.parquet"
    frame.to_parquet(path, index=False)
    config = {"file_path": str(path), "columns": ["amount", "id"]}
    run = run_module(ParquetSource, config, mode=mode)

    expected = pd.read_parquet(path, columns=["amount", "id"])
    pd.testing.assert_frame_equal(run.frame("data"), expected)


def test_source_refuses_an_unknown_column_listing_the_real_ones(tmp_path, mode, frame):
    path = tmp_path / "in.parquet"
    frame.to_parquet(path, index=False)
    config = {"file_path": str(path), "columns": ["id", "town"]}
    with pytest.raises(ValueError, match=r"columns not in .*in\.parquet: town \(columns: id, city"):
        run_module(ParquetSource, config, mode=mode)


def test_source_reads_a_dataset_written_in_dask_mode(tmp_path, mode, frame):
    out = tmp_path / "ds.parquet"
    lazy = dd.from_pandas(frame, npartitions=3)
    run_module(ParquetSink, {"output_path": str(out)}, mode="dask", inputs={"input": lazy})
    run = run_module(ParquetSource, {"file_path": str(out)}, mode=mode)

    data = run.frame("data").sort_values("id").reset_index(drop=True)
    pd.testing.assert_frame_equal(data, frame, check_dtype=False)
    assert run.globals["row_count"] == 8


def test_source_missing_file_names_the_path(tmp_path, mode):
    with pytest.raises(FileNotFoundError, match=r"parquet_source: no such file: .*gone\.parquet"):
        run_module(ParquetSource, {"file_path": str(tmp_path / "gone.parquet")}, mode=mode)


def test_memory_url_round_trip(memory_fs, mode, frame):
    url = "memory://lake/sales.parquet"
    run_module(ParquetSink, {"output_path": url}, mode=mode, inputs={"input": frame})
    back = run_module(ParquetSource, {"file_path": url}, mode=mode)

    pd.testing.assert_frame_equal(back.frame("data"), frame, check_dtype=mode == "pandas")
    assert back.globals["row_count"] == 8
    assert memory_fs.ls("/lake", detail=False) == ["/lake/sales.parquet"]


def test_check_config():
    assert ParquetSink.check_config({"output_path": "o", "compression": "lz4"}) == []
    [(key, message)] = ParquetSink.check_config({"output_path": "o", "compression": "lzma"})
    assert key == "compression"
    assert "snappy, gzip, zstd, brotli, lz4, none" in message
    [(key, _)] = ParquetSource.check_config({"file_path": "i", "columns": "id"})
    assert key == "columns"
