"""Every temporary the files pack creates is named as one and tracked before it exists, so the
next run of a killed job can sweep it; file_list and file_archive never hand one on."""

from __future__ import annotations

import contextlib
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path

import dask.dataframe as dd
import pandas as pd
import pytest

from pypeline.sdk.temporaries import is_temporary, stop_tracking, temporary_name, tracking
from pypeline.testing import run_module
from pypeline_files.csv_sink import CsvSink
from pypeline_files.csv_write import CsvWriteOptions, write_csv_pandas
from pypeline_files.excel_sink import ExcelSink
from pypeline_files.file_archive import FileArchive
from pypeline_files.file_copy import FileCopy
from pypeline_files.file_list import FileList
from pypeline_files.file_move import FileMove
from pypeline_files.json_sink import JsonSink
from pypeline_files.parquet_sink import ParquetSink
from pypeline_files.paths import locate

FRAME = pd.DataFrame({"id": [1, 2, 3], "city": ["Paris", "Lyon", "Paris"]})


class Ledger:
    """A tracker that also notes whether each path already existed when it was tracked."""

    def __init__(self) -> None:
        self.urls: list[str] = []
        self.existed: list[str] = []

    def __call__(self, url: str) -> None:
        self.urls.append(url)
        if os.path.lexists(url):
            self.existed.append(url)

    @property
    def names(self) -> list[str]:
        return [url.rstrip("/").rsplit("/", 1)[-1] for url in self.urls]


@contextlib.contextmanager
def tracked() -> Iterator[Ledger]:
    ledger = Ledger()
    token = tracking(ledger)
    try:
        yield ledger
    finally:
        stop_tracking(token)


def inputs_for(mode: str) -> dict[str, object]:
    return {"input": dd.from_pandas(FRAME, npartitions=2) if mode == "dask" else FRAME}


SINKS = [
    (CsvSink, "out.csv", {}),
    (CsvSink, "out.csv.gz", {}),
    (JsonSink, "out.jsonl", {}),
    (ParquetSink, "out.parquet", {}),
    (ParquetSink, "sales", {"partition_cols": ["city"]}),
]


@pytest.mark.parametrize(("sink", "name", "extra"), SINKS, ids=["csv", "gz", "json", "pq", "ds"])
def test_sinks_track_recognizable_temporaries_before_creating_them(
    tmp_path, mode, sink, name, extra
):
    config = {"output_path": str(tmp_path / name), **extra}
    with tracked() as ledger:
        run_module(sink, config, mode=mode, inputs=inputs_for(mode))  # writes
        run_module(sink, config, mode=mode, inputs=inputs_for(mode))  # replaces

    assert ledger.urls, "nothing tracked"
    assert all(is_temporary(n) and n.startswith(f".{name}.") for n in ledger.names)
    assert all(Path(url).parent == tmp_path for url in ledger.urls)  # siblings of the output
    assert ledger.existed == []  # tracked before they were created
    assert len(set(ledger.urls)) == len(ledger.urls)  # unique per write
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # and gone after
    if mode == "dask" and sink is not ParquetSink:
        assert any(n.endswith("pype-tmp-parts") for n in ledger.names)  # Dask's part files


def test_replacing_a_dataset_tracks_the_old_one_set_aside(tmp_path):
    config = {"output_path": str(tmp_path / "sales"), "partition_cols": ["city"]}
    run_module(ParquetSink, config, inputs={"input": FRAME})
    with tracked() as ledger:
        run_module(ParquetSink, config, inputs={"input": FRAME})
    assert [n.rsplit(".", 1)[-1] for n in ledger.names] == ["pype-tmp", "pype-tmp-old"]


def test_appends_track_the_ledgers_temporary(tmp_path):
    target = locate(str(tmp_path / "all.csv"))
    with tracked() as ledger:
        for part in ("out#0", "out#1"):
            write_csv_pandas(FRAME, target, CsvWriteOptions(append=True, part=("run-1", part)))
    ledger_temps = [n for n in ledger.names if n.startswith("..all.csv.appends.json.")]
    assert len(ledger_temps) == 2 and all(is_temporary(n) for n in ledger_temps)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".all.csv.appends.json", "all.csv"]


def test_file_operations_and_excel_track_their_temporaries(tmp_path, memory_fs):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.csv").write_text("a\n1\n")
    with tracked() as ledger:
        run_module(ExcelSink, {"output_path": str(tmp_path / "r.xlsx")}, inputs={"input": FRAME})
        run_module(
            FileArchive, {"source": str(tmp_path / "in"), "output_path": f"{tmp_path}/x.zip"}
        )
        run_module(FileCopy, {"source": str(tmp_path / "in"), "target": str(tmp_path / "copy")})
        run_module(FileCopy, {"source": str(tmp_path / "in"), "target": "memory://lake/in"})
    assert [n.split(".pype-tmp")[0][:-13] for n in ledger.names] == [
        ".r.xlsx",
        ".x.zip",
        ".copy",
        ".in",
    ]
    assert all(is_temporary(n) for n in ledger.names)
    assert ledger.urls[-1].startswith("memory:///lake/.in.")  # a URL for remote paths


def leftovers(root: Path) -> None:
    """What a killed run leaves and PYpeline's own files, beside a user's data."""
    (root / "sub").mkdir(parents=True)
    for name in ["a.csv", ".hidden.csv", "sub/b.csv"]:
        (root / name).write_text("a\n1\n")
    (root / temporary_name("a.csv")).write_text("half")  # a killed csv_sink
    (root / temporary_name("b.csv", "old")).write_text("old")
    parts = root / temporary_name("c.csv", "parts")  # a killed dask write
    parts.mkdir()
    (parts / "part-000000.csv").write_text("1\n")
    (root / ".a.csv.appends.json").write_text("{}")  # an append ledger
    (root / "sub" / ".pypeline-output").write_text("{}")  # a dataset's mark


@pytest.mark.parametrize("recursive", [False, True])
def test_file_list_never_lists_our_temporaries_ledgers_or_marks(tmp_path, recursive):
    leftovers(tmp_path / "d")
    run = run_module(FileList, {"directory": str(tmp_path / "d"), "recursive": recursive})
    expected = ["d/.hidden.csv", "d/a.csv", *(["d/sub/b.csv"] if recursive else [])]
    assert run.outputs["items"] == [f"{tmp_path}/{name}" for name in expected]

    run = run_module(FileList, {"directory": str(tmp_path / "d"), "pattern": "*.pype-tmp*"})
    assert run.outputs["items"] == []  # not even when asked for by name


def test_file_archive_leaves_our_files_out(tmp_path):
    leftovers(tmp_path / "d")
    run_module(FileArchive, {"source": str(tmp_path / "d"), "output_path": f"{tmp_path}/d.zip"})
    with zipfile.ZipFile(tmp_path / "d.zip") as archive:
        assert sorted(archive.namelist()) == [".hidden.csv", "a.csv", "sub/b.csv"]


def test_a_moved_folder_is_marked_and_the_mark_is_not_listed(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.csv").write_text("a\n1\n")
    run_module(FileMove, {"source": str(tmp_path / "in"), "target": str(tmp_path / "out")})
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [".pypeline-output", "a.csv"]
    run = run_module(FileList, {"directory": str(tmp_path / "out")})
    assert run.outputs["items"] == [f"{tmp_path}/out/a.csv"]
