"""file_archive: zip and tar.gz of a file, a folder or a glob, checked with zipfile and tarfile."""

from __future__ import annotations

import shutil
import tarfile
import zipfile

import pytest

from pypeline.testing import run_module
from pypeline_files.file_archive import FileArchive


@pytest.fixture
def out(tmp_path):
    root = tmp_path / "out"
    for name, text in [
        ("a.csv", "a\n1\n"),
        ("b.csv", "b\n2\n"),
        ("daily/c.csv", "c\n"),
        ("daily/deep/d.txt", "d"),
    ]:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def zip_contents(path):
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


def tar_contents(path):
    with tarfile.open(path) as archive:
        return {m.name: archive.extractfile(m).read().decode() for m in archive.getmembers()}


def test_zip_of_a_folder_holds_what_make_archive_holds(out, tmp_path, mode):
    target = tmp_path / "ship" / "out.zip"
    run = run_module(FileArchive, {"source": str(out), "output_path": str(target)}, mode=mode)
    expected = shutil.make_archive(str(tmp_path / "expected"), "zip", root_dir=out)

    expected_files = {k: v for k, v in zip_contents(expected).items() if not k.endswith("/")}
    assert zip_contents(target) == expected_files
    assert list(zip_contents(target)) == ["a.csv", "b.csv", "daily/c.csv", "daily/deep/d.txt"]
    assert run.globals["count"] == 4
    assert run.globals["archive_size"] == target.stat().st_size


def test_tar_gz_of_a_glob(out, tmp_path):
    target = tmp_path / "csvs.tar.gz"
    run = run_module(FileArchive, {"source": str(out / "*.csv"), "output_path": str(target)})

    assert tar_contents(target) == {"a.csv": "a\n1\n", "b.csv": "b\n2\n"}
    assert run.globals["count"] == 2


def test_format_option_and_not_recursive(out, tmp_path):
    target = tmp_path / "bundle.bin"
    config = {"source": [str(out / "daily"), str(out / "a.csv")], "output_path": str(target)}
    run_module(FileArchive, {**config, "format": "tar.gz", "recursive": False})

    assert tar_contents(target) == {"a.csv": "a\n1\n", "c.csv": "c\n"}


def test_members_keep_their_modification_time(out, tmp_path):
    import os

    os.utime(out / "a.csv", (1_700_000_000, 1_700_000_000))
    target = tmp_path / "t.tgz"
    run_module(FileArchive, {"source": str(out / "a.csv"), "output_path": str(target)})

    with tarfile.open(target) as archive:
        assert archive.getmember("a.csv").mtime == 1_700_000_000


def test_an_archive_inside_the_folder_does_not_archive_itself(out):
    target = out / "out.zip"
    target.write_bytes(b"old archive")
    run_module(FileArchive, {"source": str(out), "output_path": str(target)})

    assert "out.zip" not in zip_contents(target)
    assert len(zip_contents(target)) == 4


def test_two_files_with_one_name_are_refused(out, tmp_path):
    (out / "daily" / "a.csv").write_text("other a")
    config = {
        "source": [str(out / "a.csv"), str(out / "daily")],
        "output_path": str(tmp_path / "x.zip"),
    }
    with pytest.raises(ValueError, match=r"two files would be stored as 'a\.csv'"):
        run_module(FileArchive, {**config, "recursive": False})
    assert not (tmp_path / "x.zip").exists()


def test_fsspec_sources_and_target(memory_fs, tmp_path):
    memory_fs.pipe("/exports/one.json", b"[1]")
    memory_fs.pipe("/exports/two.json", b"[2]")
    run_module(
        FileArchive, {"source": "memory://exports", "output_path": "memory://ship/exports.zip"}
    )

    local = tmp_path / "copy.zip"
    local.write_bytes(memory_fs.cat("/ship/exports.zip"))
    assert zip_contents(local) == {"one.json": "[1]", "two.json": "[2]"}


def test_missing_sources(out, tmp_path):
    config = {"source": str(out / "*.xml"), "output_path": str(tmp_path / "x.zip")}
    with pytest.raises(FileNotFoundError, match=r"file_archive: no file matches .*\*\.xml"):
        run_module(FileArchive, config)
    run = run_module(FileArchive, {**config, "missing_ok": True})
    assert zip_contents(tmp_path / "x.zip") == {}
    assert run.globals["count"] == 0


def test_a_failed_archive_leaves_the_old_one(out, tmp_path, monkeypatch):
    target = tmp_path / "x.zip"
    target.write_bytes(b"previous")

    def broken(self, *args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(zipfile.ZipFile, "open", broken)
    with pytest.raises(OSError, match="disk full"):
        run_module(FileArchive, {"source": str(out), "output_path": str(target)})
    assert target.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "x.zip"]


@pytest.mark.parametrize(
    ("config", "key", "fragment"),
    [
        ({"source": "a", "output_path": "x.rar"}, "format", "neither .zip, .tar.gz nor .tgz"),
        ({"source": "a", "output_path": "x.zip", "format": "7z"}, "format", "zip, tar.gz"),
        ({"source": [], "output_path": "x.zip"}, "source", "a path, a glob or a list"),
    ],
)
def test_check_config(config, key, fragment):
    defaults = {"format": None, "recursive": True, "missing_ok": False}
    [(found, message)] = FileArchive.check_config({**defaults, **config})
    assert found == key
    assert fragment in message
