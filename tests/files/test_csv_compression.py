"""csv_source and csv_sink compress and decompress by extension, locally and on fsspec URLs.

The compressed bytes are made and checked with the standard library (gzip, bz2, lzma, zipfile)
and pyarrow's zstd codec, never with the code under test.
"""

from __future__ import annotations

import bz2
import gzip
import importlib.util
import io
import lzma
import zipfile

import pandas as pd
import pyarrow as pa
import pytest

from pypeline.testing import run_module
from pypeline_files.csv_sink import CsvSink
from pypeline_files.csv_source import CsvSource

TEXT = "id,name,amount\n1,ann,1.5\n2,bob,\n3,cy,2.25\n"
FRAME = pd.read_csv(io.StringIO(TEXT))
HAS_ZSTANDARD = importlib.util.find_spec("zstandard") is not None


def zip_one(data: bytes, name: str = "inner.csv") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


def unzip_one(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        [name] = archive.namelist()
        return archive.read(name)


def zstd(data: bytes) -> bytes:
    return pa.compress(data, codec="zstd", asbytes=True)


def unzstd(data: bytes) -> bytes:
    return pa.CompressedInputStream(pa.BufferReader(data), "zstd").read()


CODECS = {
    "gz": (gzip.compress, gzip.decompress),
    "bz2": (bz2.compress, bz2.decompress),
    "xz": (lzma.compress, lzma.decompress),
    "zip": (zip_one, unzip_one),
    "zst": (zstd, unzstd),
}


def place(tmp_path, memory_fs, where, name, data):
    if where == "local":
        (tmp_path / name).write_bytes(data)
        return str(tmp_path / name)
    memory_fs.pipe(f"/packed/{name}", data)
    return f"memory://packed/{name}"


@pytest.mark.parametrize("where", ["local", "memory"])
@pytest.mark.parametrize("ext", sorted(CODECS))
def test_source_decompresses_by_extension(tmp_path, memory_fs, mode, where, ext):
    url = place(tmp_path, memory_fs, where, f"in.csv.{ext}", CODECS[ext][0](TEXT.encode()))
    if mode == "dask" and ext == "zst" and not HAS_ZSTANDARD:
        with pytest.raises(ValueError, match=r"dask mode needs the zstandard package"):
            run_module(CsvSource, {"file_path": url}, mode=mode)
        return
    run = run_module(CsvSource, {"file_path": url}, mode=mode)

    pd.testing.assert_frame_equal(run.frame("data"), FRAME)


def test_source_refuses_a_zip_of_several_files(tmp_path, mode):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.csv", TEXT)
        archive.writestr("b.csv", TEXT)
    (tmp_path / "two.csv.zip").write_bytes(buffer.getvalue())
    with pytest.raises(ValueError, match=r"two\.csv\.zip holds 2 files"):
        run_module(CsvSource, {"file_path": str(tmp_path / "two.csv.zip")}, mode=mode)


@pytest.mark.parametrize("where", ["local", "memory"])
@pytest.mark.parametrize("ext", sorted(CODECS))
def test_sink_compresses_by_extension(tmp_path, memory_fs, mode, where, ext):
    name = f"out.csv.{ext}"
    url = str(tmp_path / name) if where == "local" else f"memory://packed/{name}"
    run_module(CsvSink, {"output_path": url}, mode=mode, inputs={"input": FRAME})

    packed = (
        (tmp_path / name).read_bytes() if where == "local" else memory_fs.cat(f"/packed/{name}")
    )
    text = CODECS[ext][1](packed).decode()
    assert text == FRAME.to_csv(index=False)
    if where == "local":
        assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # no temporary left


def test_zip_output_holds_one_file_named_like_the_output(tmp_path):
    out = tmp_path / "orders.csv.zip"
    run_module(CsvSink, {"output_path": str(out)}, inputs={"input": FRAME})

    assert zipfile.ZipFile(out).namelist() == ["orders.csv"]


def test_round_trip_through_both_modules(tmp_path, mode):
    out = str(tmp_path / "round.csv.gz")
    run_module(CsvSink, {"output_path": out}, mode=mode, inputs={"input": FRAME})
    run = run_module(CsvSource, {"file_path": out}, mode=mode)

    pd.testing.assert_frame_equal(run.frame("data"), FRAME)


def test_appending_to_a_compressed_file_is_refused():
    problems = CsvSink.check_config({"output_path": "out/all.csv.gz", "mode": "append"})
    assert problems == [("mode", "cannot append to a compressed file: out/all.csv.gz")]
    assert CsvSink.check_config({"output_path": "out/all.csv", "mode": "append"}) == []
