"""Where module outputs live: RAM below the limits, Parquet in the spill dir above them."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import dask.dataframe as dd
import pandas as pd
import pytest

from pypeline.run.artifacts.manager import ArtifactManager
from pypeline.run.artifacts.parquet import ParquetArtifact
from pypeline.sdk.memory_artifact import MemoryArtifact


def frame(rows: int) -> pd.DataFrame:
    return pd.DataFrame({"id": range(rows), "name": [f"n{i}" for i in range(rows)]})


def dask_frame(rows: int, npartitions: int) -> Any:
    return dd.from_pandas(frame(rows), npartitions=npartitions)  # type: ignore[no-untyped-call]


def manager(tmp_path: Path, events: list[dict[str, Any]], **config: Any) -> ArtifactManager:
    config.setdefault("spill_dir", tmp_path / "spill")
    return ArtifactManager({"spill_threshold_rows": 1_000, **config}, on_spill=events.append)


def test_frame_over_threshold_spills_to_parquet(tmp_path: Path) -> None:
    events: list[dict[str, Any]] = []
    df = frame(1_001)
    art = manager(tmp_path, events).register(df, "source_csv.out")
    assert isinstance(art, ParquetArtifact)
    assert Path(art.uri).is_file()
    assert Path(art.uri).is_relative_to(tmp_path / "spill")
    assert art.n_rows == 1_001
    pd.testing.assert_frame_equal(art.to_pandas(), df)
    assert events == [
        {
            "message": f"spill to parquet at {art.uri}",
            "rows": 1_001,
            "uri": art.uri,
            "name": "source_csv.out",
        }
    ]


def test_frame_at_threshold_stays_in_memory_without_copy(tmp_path: Path) -> None:
    events: list[dict[str, Any]] = []
    df = frame(1_000)
    art = manager(tmp_path, events).register(df, "src")
    assert isinstance(art, MemoryArtifact)
    assert art.to_pandas() is df
    assert art.uri == "memory://src"
    assert events == []
    assert not (tmp_path / "spill").exists()


def test_ram_share_over_limit_forces_spill(tmp_path: Path) -> None:
    events: list[dict[str, Any]] = []
    art = manager(tmp_path, events, max_ram_share=1e-9).register(frame(10), "small")
    assert isinstance(art, ParquetArtifact)
    assert [e["rows"] for e in events] == [10]
    pd.testing.assert_frame_equal(art.to_pandas(), frame(10))


@pytest.mark.parametrize(("rows", "spills"), [(1_200, True), (800, False)])
def test_dask_frames_follow_the_same_policy(tmp_path: Path, rows: int, spills: bool) -> None:
    events: list[dict[str, Any]] = []
    ddf = dask_frame(rows, 4)
    art = manager(tmp_path, events).register(ddf, "dask_out")
    assert isinstance(art, ParquetArtifact) is spills
    assert art.n_rows == rows
    assert [e["rows"] for e in events] == ([rows] if spills else [])
    pd.testing.assert_frame_equal(art.to_pandas(), ddf.compute().reset_index(drop=True))
    if spills:
        assert Path(art.uri).is_dir()


def test_spilled_dask_frame_round_trips_in_partition_order(tmp_path: Path) -> None:
    ddf = dask_frame(1_500, 12)
    art = manager(tmp_path, []).register(ddf, "many_parts")
    back = art.to_dask()
    assert back.npartitions == 12
    expected = ddf.compute().reset_index(drop=True)
    pd.testing.assert_frame_equal(back.compute().reset_index(drop=True), expected)
    pd.testing.assert_frame_equal(art.to_frame("pandas"), expected)


def test_spilled_pandas_frame_round_trips_through_dask(tmp_path: Path) -> None:
    df = frame(1_001)
    art = manager(tmp_path, []).register(df, "p")
    as_dask = art.to_frame("dask")
    assert type(as_dask).__module__.startswith("dask")
    assert as_dask.compute()["id"].tolist() == df["id"].tolist()
    assert as_dask.compute()["name"].tolist() == df["name"].tolist()


def test_memory_artifact_round_trips_between_pandas_and_dask(tmp_path: Path) -> None:
    df = frame(50)
    art = manager(tmp_path, []).register(df)
    assert art.n_rows == 50
    pd.testing.assert_frame_equal(
        MemoryArtifact(art.to_dask()).to_pandas(), art.to_dask().compute()
    )
    assert art.to_dask().compute()["id"].tolist() == list(range(50))


def test_spilled_index_is_not_kept(tmp_path: Path) -> None:
    df = frame(2_200).query("id % 2 == 0")
    art = manager(tmp_path, []).register(df, "filtered")
    back = art.to_pandas()
    assert isinstance(art, ParquetArtifact)
    assert back.index.tolist() == list(range(1_100))
    assert back["id"].tolist() == df["id"].tolist()


def test_same_name_twice_gets_two_files(tmp_path: Path) -> None:
    mgr = manager(tmp_path, [])
    first = mgr.register(frame(1_001), "node#0")
    second = mgr.register(frame(1_002), "node#0")
    assert first.uri != second.uri
    assert (first.n_rows, second.n_rows) == (1_001, 1_002)


def test_cleanup_removes_spill_files_and_dir(tmp_path: Path) -> None:
    mgr = manager(tmp_path, [])
    pandas_art = mgr.register(frame(1_001), "a")
    dask_art = mgr.register(dask_frame(2_000, 2), "b")
    spill_dir = mgr.spill_dir
    assert spill_dir is not None and spill_dir.parent == tmp_path / "spill"
    mgr.cleanup()
    assert not Path(pandas_art.uri).exists()
    assert not Path(dask_art.uri).exists()
    assert not spill_dir.exists()
    assert (tmp_path / "spill").is_dir(), "the configured location itself is left alone"
    mgr.cleanup()


def test_default_spill_dir_is_a_temp_dir_removed_by_cleanup() -> None:
    mgr = ArtifactManager({"spill_threshold_rows": 5}, on_spill=lambda _e: None)
    assert mgr.spill_dir is None
    art = mgr.register(frame(6), "x")
    spill_dir = mgr.spill_dir
    assert spill_dir is not None and spill_dir.name.startswith(".pypeline.")
    assert spill_dir.name.endswith(".pype-tmp-spill")  # a temporary the next run would sweep
    assert Path(art.uri).parent == spill_dir
    mgr.cleanup()
    assert not spill_dir.exists()


def test_register_keeps_artifacts_unchanged(tmp_path: Path) -> None:
    mgr = manager(tmp_path, [])
    mem = MemoryArtifact(frame(5000), "already")
    assert mgr.register(mem) is mem
    spilled = ParquetArtifact.write(frame(3), tmp_path, "own")
    assert mgr.register(spilled) is spilled


def test_register_rejects_non_frames(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="list"):
        manager(tmp_path, []).register([1, 2, 3])


def test_release_is_idempotent(tmp_path: Path) -> None:
    art = ParquetArtifact.write(frame(3), tmp_path, "r")
    art.release()
    art.release()
    assert not Path(art.uri).exists()


def test_concurrent_spills_from_many_threads_each_get_their_file(tmp_path: Path) -> None:
    events: list[dict[str, Any]] = []
    mgr = manager(tmp_path, events)
    with ThreadPoolExecutor(max_workers=8) as pool:
        arts = list(pool.map(lambda i: mgr.register(frame(1_001 + i), "same"), range(8)))
    assert sorted(a.n_rows for a in arts) == [1_001 + i for i in range(8)]
    assert len({a.uri for a in arts}) == 8
    assert len(events) == 8


def test_the_spill_dir_is_tracked_before_it_exists(tmp_path: Path) -> None:
    from pypeline.sdk.temporaries import stop_tracking, tracking

    seen: list[tuple[str, bool]] = []
    token = tracking(lambda url: seen.append((url, Path(url).exists())))
    try:
        mgr = ArtifactManager(
            {"spill_threshold_rows": 5, "spill_dir": str(tmp_path)}, on_spill=lambda _e: None
        )
        mgr.register(frame(6), "x")
    finally:
        stop_tracking(token)
    assert seen == [(str(mgr.spill_dir), False)]
    mgr.cleanup()
