"""parquet_sink's ``partition_cols``: a hive-partitioned dataset, as pandas writes it, atomically."""

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
            "city": ["Paris", "Lyon", "Nice", "Nice", "Paris", "Lyon", "Nice", "Paris"],
            "year": [2023, 2024, 2023, 2024, 2023, 2024, 2023, 2024],
            "amount": [1.5, 2.0, 3.0, 4.25, 5.0, 6.0, 7.5, 8.0],
        }
    )


def by_id(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.sort_values("id").reset_index(drop=True)
    return frame[sorted(frame.columns)]


def files_under(root):
    return sorted(str(p.relative_to(root).parent) for p in root.rglob("*.parquet"))


def test_partitioned_output_matches_pandas(tmp_path, mode, frame):
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    config = {"output_path": str(ours), "partition_cols": ["city", "year"]}
    inputs = {"input": dd.from_pandas(frame, npartitions=2) if mode == "dask" else frame}
    run = run_module(ParquetSink, config, mode=mode, inputs=inputs)
    frame.to_parquet(theirs, partition_cols=["city", "year"], index=False)

    assert run.globals["row_count"] == 8
    assert ours.is_dir()
    assert sorted(set(files_under(ours))) == sorted(set(files_under(theirs)))
    assert "city=Paris/year=2023" in files_under(ours)
    pd.testing.assert_frame_equal(
        by_id(pd.read_parquet(ours)), by_id(pd.read_parquet(theirs)), check_dtype=False
    )
    # the partition columns live in the directory names, not in the files
    first = next(ours.rglob("*.parquet"))
    assert pq.read_schema(first).names[:2] == ["id", "amount"]


def test_parquet_source_reads_the_partition_columns_back(tmp_path, mode, frame):
    out = tmp_path / "sales"
    config = {"output_path": str(out), "partition_cols": ["city"]}
    run_module(ParquetSink, config, inputs={"input": frame})
    run = run_module(ParquetSource, {"file_path": str(out), "columns": ["id", "city"]}, mode=mode)

    data = run.frame("data").sort_values("id")
    assert data["city"].astype(str).tolist() == frame["city"].tolist()
    assert run.globals["row_count"] == 8


def test_rewrite_replaces_the_whole_dataset(tmp_path, frame):
    out = tmp_path / "sales"
    config = {"output_path": str(out), "partition_cols": ["city"]}
    run_module(ParquetSink, config, inputs={"input": frame})
    run_module(ParquetSink, config, inputs={"input": frame[frame.city == "Lyon"]})

    # no stale Paris or Nice rows; the mark lets a later run replace the dataset
    assert sorted(p.name for p in out.iterdir()) == [".pypeline-output", "city=Lyon"]
    assert len(pd.read_parquet(out)) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sales"]


def test_failed_write_leaves_the_old_dataset(tmp_path, frame, monkeypatch):
    out = tmp_path / "sales"
    config = {"output_path": str(out), "partition_cols": ["city"]}
    run_module(ParquetSink, config, inputs={"input": frame})
    before = files_under(out)

    def half_then_fail(table, root_path, **kwargs):
        (tmp_path / "half").mkdir()
        raise OSError("disk full")

    monkeypatch.setattr(pq, "write_to_dataset", half_then_fail)
    with pytest.raises(OSError, match="disk full"):
        run_module(ParquetSink, config, inputs={"input": frame.head(2)})

    assert files_under(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["half", "sales"]


def test_memory_url(memory_fs, mode, frame):
    url = "memory://lake/sales"
    config = {"output_path": url, "partition_cols": ["year"]}
    run_module(ParquetSink, config, mode=mode, inputs={"input": frame})

    assert sorted(memory_fs.ls("/lake/sales", detail=False)) == [
        "/lake/sales/.pypeline-output",
        "/lake/sales/year=2023",
        "/lake/sales/year=2024",
    ]
    back = run_module(ParquetSource, {"file_path": url}, mode=mode)
    assert sorted(back.frame("data")["id"]) == list(range(1, 9))


@pytest.mark.parametrize(
    ("partition_cols", "message"),
    [
        (["town"], r"partition_cols names columns not in the input: town \(columns: id, city"),
        (["id", "city", "year", "amount"], "takes every column"),
    ],
)
def test_bad_partition_columns_fail_with_the_reason(tmp_path, frame, partition_cols, message):
    config = {"output_path": str(tmp_path / "o"), "partition_cols": partition_cols}
    with pytest.raises(ValueError, match=message):
        run_module(ParquetSink, config, inputs={"input": frame})
    assert list(tmp_path.iterdir()) == []


def test_check_config_refuses_a_bad_list():
    [(key, message)] = ParquetSink.check_config({"partition_cols": ["city", "city"]})
    assert key == "partition_cols"
    assert "more than once: city" in message
    assert ParquetSink.check_config({"partition_cols": "city"})[0][0] == "partition_cols"
