"""Text is text or an error naming the line: never a column of b'...' values (issue 10, item 6).

A byte that does not decode in `encoding` fails csv_source with the file, line, byte offset and
the encoding to try, in both execution modes; a UTF-8 byte-order mark is no error; a field
longer than pyarrow's 1 MiB block is read whole.
"""

from __future__ import annotations

import bz2
import gzip
from pathlib import Path

import pytest

from pypeline.testing import run_module
from pypeline_files.csv_source import CsvSource
from pypeline_files.csv_text import find_bad_byte
from pypeline_files.paths import locate

LATIN1 = "set encoding: latin-1"
CP1252 = "set encoding: cp1252"


def latin1(text: str) -> bytes:
    return text.encode("latin-1")


CASES = [
    ("header", latin1("id,n\xe9me\n1,ok\n2,x\n"), 1, 4, LATIN1),
    ("middle row", latin1("id,name\n1,ok\n2,caf\xe9\n3,x\n"), 3, 18, LATIN1),
    ("last row", latin1("id,name\n1,ok\n2,x\n3,caf\xe9"), 4, 22, LATIN1),
    ("smart quotes", "id,name\n1,ok\n2,\u201cquoted\u201d\n".encode("cp1252"), 3, 15, CP1252),
    ("quoted field", latin1('id,name\n1,"ok, caf\xe9"\n'), 2, 18, LATIN1),
    ("first column", latin1("name,id\nok,1\n\xe9t\xe9,2\n"), 3, 13, LATIN1),
]


@pytest.mark.parametrize(
    ("data", "line", "offset", "hint"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_a_bad_byte_is_an_error_naming_line_offset_and_encoding(
    tmp_path, mode, data, line, offset, hint
):
    path = tmp_path / "in.csv"
    path.write_bytes(data)
    byte = f"0x{data[offset]:02x}"
    expected = rf"^csv_source: cannot read {path}: line {line}: byte {byte} \(offset {offset}\) "
    with pytest.raises(ValueError, match=expected + r"is not valid utf-8.*" + hint):
        run_module(CsvSource, {"file_path": str(path)}, mode=mode)


@pytest.mark.parametrize("compress", [gzip.compress, bz2.compress], ids=["gz", "bz2"])
def test_a_bad_byte_in_a_compressed_file_is_located_in_its_text(tmp_path, mode, compress):
    path = tmp_path / f"in.csv.{'gz' if compress is gzip.compress else 'bz2'}"
    path.write_bytes(compress(latin1("id,name\n1,ok\n2,caf\xe9\n")))
    with pytest.raises(ValueError, match=r"line 3: byte 0xe9 \(offset 18\) is not valid utf-8"):
        run_module(CsvSource, {"file_path": str(path)}, mode=mode)


def test_an_undefined_byte_in_a_declared_encoding(tmp_path, mode):
    path = tmp_path / "in.csv"
    path.write_bytes(b"id,name\n1,ok\n2,a\x81b\n")  # 0x81 is not a character in cp1252
    with pytest.raises(ValueError, match=r"line 3: byte 0x81 \(offset 16\) is not valid cp1252"):
        run_module(CsvSource, {"file_path": str(path), "encoding": "cp1252"}, mode=mode)


def test_the_same_files_read_with_their_encoding(tmp_path, mode):
    for name, data, _, _, hint in CASES:
        path = tmp_path / "in.csv"
        path.write_bytes(data)
        encoding = "cp1252" if hint == CP1252 else "latin-1"
        frame = run_module(CsvSource, {"file_path": str(path), "encoding": encoding}, mode=mode)
        text = frame.frame("data").to_csv(index=False)
        assert "b'" not in text, name
        assert data.decode(encoding).split("\n")[0] in text, name


def test_a_dtype_forced_column_with_a_bad_byte_is_the_same_error(tmp_path):
    path = tmp_path / "in.csv"
    path.write_bytes(latin1("id,name\n1,caf\xe9\n"))
    config = {"file_path": str(path), "dtypes": {"name": "str"}}
    with pytest.raises(ValueError, match=r"line 2: byte 0xe9 \(offset 13\) is not valid utf-8"):
        run_module(CsvSource, config)


def test_a_utf8_byte_order_mark_is_not_part_of_the_first_name(tmp_path, mode):
    path = tmp_path / "in.csv"
    path.write_bytes(b"\xef\xbb\xbfid,name\n1,caf\xc3\xa9\n2,x,extra\n")
    run = run_module(CsvSource, {"file_path": str(path)}, mode=mode)
    assert run.frame("data").columns.tolist() == ["id", "name"]
    assert run.frame("data")["name"].tolist()[0] == "café"
    if mode == "pandas":
        assert run.frame("reject")["line_number"].tolist() == [3]


def test_the_bad_byte_is_found_past_the_first_megabyte(tmp_path):
    """Offsets stay exact when a character straddles the locator's 1 MiB chunks."""
    head = "id,name\n" + "".join(f"{i},ok\n" for i in range(50_000))
    pad = (1 << 20) - len(head.encode()) - 1  # "é" (2 bytes) starts 1 byte before 1 MiB
    text = head + "x" * pad + "é" + "\n"
    data = text.encode("utf-8") + b"9,caf\xe9\n"
    path = tmp_path / "big.csv"
    path.write_bytes(data)
    bad = find_bad_byte(locate(str(path)), "utf-8")
    assert bad is not None
    assert (bad.offset, bad.line, bad.value) == (len(data) - 2, 50_003, b"\xe9")


def ten_megabyte_field(path: Path, *, quoted: bool) -> str:
    big = ("word " * 2_000_000)[:10_000_000]
    value = '"' + big.replace(" ", "\n", 3) + '"' if quoted else big
    path.write_text(f"id,text\n1,short\n2,{value}\n3,x\n4,y,extra\n", encoding="utf-8")
    return big.replace(" ", "\n", 3) if quoted else big


@pytest.mark.parametrize("quoted", [False, True], ids=["plain", "quoted-multiline"])
def test_a_ten_megabyte_field_is_read_whole(tmp_path, mode, quoted):
    path = tmp_path / "big.csv"
    big = ten_megabyte_field(path, quoted=quoted)
    run = run_module(CsvSource, {"file_path": str(path)}, mode=mode)
    data = run.frame("data")
    assert data["id"].tolist() == [1, 2, 3]  # 4,y,extra: a reject (pandas), skipped (dask)
    assert data["text"].tolist() == ["short", big, "x"]
    assert run.globals["row_count"] == 3
    if mode == "pandas":
        assert run.frame("reject")["line_number"].tolist() == [8 if quoted else 5]


def test_a_ten_megabyte_field_with_a_conversion_reject(tmp_path):
    path = tmp_path / "big.csv"
    big = ten_megabyte_field(path, quoted=False)
    path.write_text(path.read_text() + "zz,last\n")
    run = run_module(CsvSource, {"file_path": str(path), "dtypes": {"id": "int"}})
    assert run.frame("data")["text"].tolist() == ["short", big, "x"]
    rejects = run.frame("reject")
    assert rejects["line_number"].tolist() == [5, 6]
    assert rejects["raw_line"].tolist() == ["4,y,extra", "zz,last"]
