"""file_list puts the matching files, sorted, on ``items``; directories never appear."""

from __future__ import annotations

import pytest

from pypeline.testing import run_module
from pypeline_files.csv_source import CsvSource
from pypeline_files.file_list import FileList


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "data"
    for name in ["b.csv", "a.csv", "notes.txt", "sub/c.csv", "sub/deeper/d.csv", "sub/e.txt"]:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x\n1\n")
    (root / "looks_like.csv").mkdir()  # a directory whose name matches the pattern
    return root


def test_lists_matching_files_sorted(tree, mode):
    run = run_module(FileList, {"directory": str(tree), "pattern": "*.csv"}, mode=mode)

    assert run.outputs["items"] == [f"{tree}/a.csv", f"{tree}/b.csv"]
    assert run.globals["count"] == 2


def test_default_pattern_lists_every_file_but_no_directory(tree, mode):
    run = run_module(FileList, {"directory": str(tree)}, mode=mode)

    assert run.outputs["items"] == [f"{tree}/{n}" for n in ["a.csv", "b.csv", "notes.txt"]]


def test_recursive_lists_sub_directories_at_any_depth(tree, mode):
    config = {"directory": str(tree), "pattern": "*.csv", "recursive": True}
    run = run_module(FileList, config, mode=mode)

    names = ["a.csv", "b.csv", "sub/c.csv", "sub/deeper/d.csv"]
    assert run.outputs["items"] == [f"{tree}/{n}" for n in names]
    assert run.globals["count"] == 4


def test_pattern_with_a_slash_matches_the_relative_path(tree):
    config = {"directory": str(tree), "pattern": "sub/*.txt", "recursive": True}
    run = run_module(FileList, config)

    assert run.outputs["items"] == [f"{tree}/sub/e.txt"]


def test_paths_keep_the_directory_as_configured(tree, monkeypatch):
    monkeypatch.chdir(tree.parent)
    run = run_module(FileList, {"directory": "data/", "pattern": "[ab].csv"})

    assert run.outputs["items"] == ["data/a.csv", "data/b.csv"]


def test_matching_is_case_sensitive(tree):
    run = run_module(FileList, {"directory": str(tree), "pattern": "*.CSV"})

    assert run.outputs["items"] == []
    assert run.globals["count"] == 0


def test_memory_urls_give_urls_that_sources_can_read(memory_fs, mode):
    memory_fs.pipe("/drop/2024-01.csv", b"n\n1\n2\n")
    memory_fs.pipe("/drop/2024-02.csv", b"n\n3\n")
    memory_fs.pipe("/drop/readme.md", b"hi")
    run = run_module(FileList, {"directory": "memory://drop", "pattern": "*.csv"}, mode=mode)

    items = run.outputs["items"]
    assert items == ["memory://drop/2024-01.csv", "memory://drop/2024-02.csv"]
    rows = [len(run_module(CsvSource, {"file_path": i}, mode=mode).frame("data")) for i in items]
    assert rows == [2, 1]


def test_missing_directory_names_it(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"file_list: no such directory: .*nowhere"):
        run_module(FileList, {"directory": str(tmp_path / "nowhere")})


def test_a_file_is_not_a_directory(tree):
    with pytest.raises(NotADirectoryError, match=r"file_list: not a directory: .*a\.csv"):
        run_module(FileList, {"directory": str(tree / "a.csv")})


def test_check_config_refuses_an_empty_pattern():
    assert FileList.check_config({"directory": "d", "pattern": "*.csv"}) == []
    [(key, message)] = FileList.check_config({"directory": "d", "pattern": ""})
    assert key == "pattern"
    assert "non-empty" in message
