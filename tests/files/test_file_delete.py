"""file_delete: files, globs, lists and folders, local and memory://; nothing is deleted when
one path is refused."""

from __future__ import annotations

import pytest

from pypeline.testing import run_module
from pypeline_files.file_delete import FileDelete


@pytest.fixture
def inbox(tmp_path):
    root = tmp_path / "inbox"
    for name in ["a.csv", "b.csv", "notes.txt", "sub/c.csv"]:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(name)
    return root


def tree(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_delete_files_globs_and_lists(inbox, mode):
    run = run_module(
        FileDelete, {"path": [str(inbox / "*.csv"), str(inbox / "notes.txt")]}, mode=mode
    )

    assert tree(inbox) == ["sub/c.csv"]
    assert run.globals["count"] == 3


def test_delete_a_directory_needs_recursive(inbox):
    with pytest.raises(IsADirectoryError, match=r"sub is a directory \(set recursive: true"):
        run_module(FileDelete, {"path": [str(inbox / "a.csv"), str(inbox / "sub")]})
    assert (inbox / "a.csv").exists()  # checked before anything was deleted

    run_module(FileDelete, {"path": str(inbox / "sub"), "recursive": True})
    assert not (inbox / "sub").exists()


def test_delete_missing_paths(inbox):
    with pytest.raises(FileNotFoundError, match=r"file_delete: no such file or directory: .*nope"):
        run_module(FileDelete, {"path": str(inbox / "nope")})
    run = run_module(
        FileDelete, {"path": [str(inbox / "nope"), str(inbox / "*.xml")], "missing_ok": True}
    )
    assert run.globals["count"] == 0


def test_delete_on_memory_urls(memory_fs):
    memory_fs.pipe("/work/a.tmp", b"1")
    memory_fs.pipe("/work/b.tmp", b"2")
    memory_fs.pipe("/work/keep.csv", b"3")
    run = run_module(FileDelete, {"path": "memory://work/*.tmp"})

    assert memory_fs.ls("/work", detail=False) == ["/work/keep.csv"]
    assert run.globals["count"] == 2
