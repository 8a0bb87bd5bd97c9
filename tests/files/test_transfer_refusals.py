"""file_copy and file_move never replace a folder or a file that PYpeline did not write
(SPEC §3), checked before anything is copied; a folder they copied or moved is theirs to
replace on a later run."""

from __future__ import annotations

import pytest

from pypeline.testing import run_module
from pypeline_files.file_copy import FileCopy
from pypeline_files.file_move import FileMove

from .folders import snapshot, user_folder


def test_file_copy_refuses_what_pypeline_did_not_write_before_copying_anything(tmp_path):
    source = user_folder(tmp_path / "reports")
    (tmp_path / "a.csv").write_text("a\n")
    backup = tmp_path / "backup"
    user_folder(backup / "reports")  # a folder of the user's, where the copy would go
    (backup / "a.csv").mkdir()  # a folder where a file would go
    before = snapshot(backup)

    config = {"source": [str(tmp_path / "a.csv"), str(source)], "target": str(backup)}
    with pytest.raises(IsADirectoryError, match=rf"^file_copy: {backup}/a.csv is a directory"):
        run_module(FileCopy, config)
    (backup / "a.csv").rmdir()
    with pytest.raises(IsADirectoryError, match=rf"^file_copy: {backup}/reports is a directory"):
        run_module(FileCopy, config)
    assert snapshot(backup) == {k: v for k, v in before.items() if not k.startswith("a.csv")}

    (tmp_path / "notes").write_text("mine")
    with pytest.raises(FileExistsError, match=r"notes is a file that PYpeline did not write"):
        run_module(FileCopy, {"source": str(source), "target": str(tmp_path / "notes")})
    assert (tmp_path / "notes").read_text() == "mine"


def test_file_copy_and_move_replace_a_folder_they_wrote(tmp_path):
    source = user_folder(tmp_path / "reports")
    copies, done = tmp_path / "copies", tmp_path / "done"
    run_module(FileCopy, {"source": str(source), "target": f"{copies}/"})
    (source / "q3.csv").write_text("a\n3\n")
    (source / "q1.csv").unlink()
    run_module(FileCopy, {"source": str(source), "target": f"{copies}/"})  # its copy: replaced
    assert sorted(snapshot(copies)) == [
        "reports/.pypeline-output",
        "reports/old/q0.csv",
        "reports/q2.csv",
        "reports/q3.csv",
    ]

    run_module(FileMove, {"source": str(copies / "reports"), "target": f"{done}/"})
    (source / "q2.csv").unlink()
    run_module(FileCopy, {"source": str(source), "target": f"{copies}/"})
    run_module(FileMove, {"source": str(copies / "reports"), "target": f"{done}/"})  # ours
    assert sorted(snapshot(done)) == [
        "reports/.pypeline-output",
        "reports/old/q0.csv",
        "reports/q3.csv",
    ]
    assert snapshot(copies) == {}


def test_file_move_refuses_a_users_folder_and_leaves_the_source(tmp_path):
    source = user_folder(tmp_path / "inbox")
    target = user_folder(tmp_path / "archive" / "inbox")
    before_source, before_target = snapshot(source), snapshot(target)
    with pytest.raises(IsADirectoryError, match=rf"^file_move: {target} is a directory"):
        run_module(FileMove, {"source": str(source), "target": f"{target.parent}/"})
    assert (snapshot(source), snapshot(target)) == (before_source, before_target)

    (tmp_path / "one.csv").write_text("x\n")
    (tmp_path / "archive" / "one.csv").mkdir()
    with pytest.raises(IsADirectoryError, match=r"^file_move: .*archive/one.csv is a directory"):
        run_module(FileMove, {"source": str(tmp_path / "one.csv"), "target": f"{target.parent}/"})
    assert (tmp_path / "one.csv").exists()
