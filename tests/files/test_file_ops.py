"""file_copy and file_move: files, globs, lists and folders, local and memory://."""

from __future__ import annotations

import os
import shutil

import pytest

from pypeline.testing import run_module
from pypeline_files.file_copy import FileCopy
from pypeline_files.file_delete import FileDelete
from pypeline_files.file_move import FileMove


@pytest.fixture
def inbox(tmp_path):
    root = tmp_path / "inbox"
    for name, text in [
        ("a.csv", "a\n1\n"),
        ("b.csv", "b\n2\n"),
        ("notes.txt", "hi"),
        ("sub/c.csv", "c\n"),
    ]:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    os.utime(root / "a.csv", (1_600_000_000, 1_600_000_000))
    return root


def tree(root):
    """The files under ``root``, without the marks PYpeline leaves in directories it wrote."""
    files = (p for p in root.rglob("*") if p.is_file() and p.name != ".pypeline-output")
    return sorted(str(p.relative_to(root)) for p in files)


def test_copy_one_file_under_a_new_name(inbox, tmp_path, mode):
    target = tmp_path / "out" / "copy.csv"
    run = run_module(FileCopy, {"source": str(inbox / "a.csv"), "target": str(target)}, mode=mode)

    assert target.read_text() == "a\n1\n"
    assert (inbox / "a.csv").exists()
    assert target.stat().st_mtime == 1_600_000_000  # like shutil.copy2
    assert run.globals["count"] == 1


def test_copy_a_glob_into_a_directory(inbox, tmp_path):
    out = tmp_path / "out"
    run = run_module(FileCopy, {"source": str(inbox / "*.csv"), "target": str(out)})

    assert tree(out) == ["a.csv", "b.csv"]
    assert run.globals["count"] == 2
    assert tree(inbox) == ["a.csv", "b.csv", "notes.txt", "sub/c.csv"]


def test_copy_a_folder_like_copytree(inbox, tmp_path):
    out = tmp_path / "backup"
    out.mkdir()
    run_module(FileCopy, {"source": str(inbox), "target": str(out)})  # an existing dir: into it
    shutil.copytree(inbox, tmp_path / "expected")

    assert tree(out / "inbox") == tree(tmp_path / "expected")
    assert (out / "inbox" / "sub" / "c.csv").read_text() == "c\n"


def test_copy_between_filesystems(inbox, tmp_path, memory_fs):
    config = {"source": [str(inbox / "a.csv"), str(inbox / "sub")], "target": "memory://lake/raw/"}
    run = run_module(FileCopy, config)
    assert memory_fs.cat("/lake/raw/a.csv") == b"a\n1\n"
    assert memory_fs.cat("/lake/raw/sub/c.csv") == b"c\n"
    assert run.globals["count"] == 2

    back = tmp_path / "back"
    run_module(FileCopy, {"source": "memory://lake/raw/*.csv", "target": str(back)})
    assert tree(back) == ["a.csv"]


def test_nothing_is_copied_when_one_target_exists_and_overwrite_is_false(inbox, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "b.csv").write_text("keep me")
    config = {"source": str(inbox / "*.csv"), "target": str(out), "overwrite": False}
    with pytest.raises(FileExistsError, match=r"out/b\.csv exists \(set overwrite: true"):
        run_module(FileCopy, config)
    assert tree(out) == ["b.csv"]
    assert (out / "b.csv").read_text() == "keep me"

    run_module(FileCopy, {**config, "overwrite": True})
    assert (out / "b.csv").read_text() == "b\n2\n"


def test_missing_sources_fail_unless_missing_ok(inbox, tmp_path):
    config = {
        "source": [str(inbox / "a.csv"), str(inbox / "gone.csv")],
        "target": str(tmp_path / "o"),
    }
    with pytest.raises(
        FileNotFoundError, match=r"file_copy: no such file or directory: .*gone\.csv"
    ):
        run_module(FileCopy, config)
    with pytest.raises(FileNotFoundError, match=r"file_copy: no file matches .*\*\.xml"):
        run_module(FileCopy, {"source": str(inbox / "*.xml"), "target": str(tmp_path / "o")})
    assert not (tmp_path / "o").exists()

    run = run_module(FileCopy, {**config, "missing_ok": True})
    assert tree(tmp_path / "o") == ["a.csv"]
    assert run.globals["count"] == 1


def test_refusals_before_anything_is_done(inbox, tmp_path):
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "a.csv").write_text("x")
    clash = {
        "source": [str(inbox / "a.csv"), str(tmp_path / "other" / "a.csv")],
        "target": str(tmp_path / "o"),
    }
    with pytest.raises(ValueError, match=r"would both go to .*o/a\.csv"):
        run_module(FileCopy, clash)
    with pytest.raises(ValueError, match=r"inside"):
        run_module(FileCopy, {"source": str(inbox), "target": str(inbox / "sub") + "/"})
    with pytest.raises(ValueError, match=r"is its own target"):
        run_module(FileMove, {"source": str(inbox / "a.csv"), "target": str(inbox / "a.csv")})
    assert not (tmp_path / "o").exists()


def test_a_failed_copy_leaves_no_partial_target(inbox, tmp_path, monkeypatch):
    def half(source, target, **kwargs):
        with open(target, "w") as handle:
            handle.write("half")
        raise OSError("disk full")

    monkeypatch.setattr(shutil, "copy2", half)
    with pytest.raises(OSError, match="disk full"):
        run_module(FileCopy, {"source": str(inbox / "a.csv"), "target": f"{tmp_path}/o/"})
    assert list((tmp_path / "o").iterdir()) == []


def test_move_renames_and_the_source_is_gone(inbox, tmp_path, mode):
    run = run_module(
        FileMove,
        {"source": str(inbox / "a.csv"), "target": str(tmp_path / "done/a1.csv")},
        mode=mode,
    )

    assert (tmp_path / "done" / "a1.csv").read_text() == "a\n1\n"
    assert not (inbox / "a.csv").exists()
    assert run.globals["count"] == 1


def test_move_a_glob_and_a_folder(inbox, tmp_path):
    run_module(
        FileMove,
        {"source": [str(inbox / "*.csv"), str(inbox / "sub")], "target": str(tmp_path / "done")},
    )

    assert tree(tmp_path / "done") == ["a.csv", "b.csv", "sub/c.csv"]
    assert tree(inbox) == ["notes.txt"]


def test_move_across_filesystems_copies_then_deletes(inbox, memory_fs):
    run_module(FileMove, {"source": str(inbox / "sub"), "target": "memory://archive/2024/"})

    assert memory_fs.cat("/archive/2024/sub/c.csv") == b"c\n"
    assert not (inbox / "sub").exists()
    memory_fs.pipe("/tmp/x.csv", b"x")
    run_module(FileMove, {"source": "memory://tmp/x.csv", "target": "memory://archive/x.csv"})
    assert memory_fs.cat("/archive/x.csv") == b"x"
    assert not memory_fs.exists("/tmp/x.csv")


@pytest.mark.parametrize(
    ("module", "config", "key"),
    [
        (FileCopy, {"source": [], "target": "o"}, "source"),
        (FileCopy, {"source": ["a", ""], "target": "o"}, "source"),
        (FileMove, {"source": "a", "target": ["o"]}, "target"),
        (FileDelete, {"path": ""}, "path"),
        (FileDelete, {"path": {"a": 1}}, "path"),
    ],
)
def test_check_config_names_the_bad_key(module, config, key):
    [(found, _)] = module.check_config(config)
    assert found == key
