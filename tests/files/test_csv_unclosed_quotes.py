"""A quote opened and never closed is an error naming its line, never the rest of the file
read as one value (issue 10, item 6); quoted values that are closed are read as before."""

from __future__ import annotations

import gzip

import pytest

from pypeline.testing import run_module
from pypeline_files.csv_format import CsvFormat
from pypeline_files.csv_quotes import ends_inside_quotes
from pypeline_files.csv_source import CsvSource

NEVER_CLOSED = "a quoted value .* opens here and is never closed"

UNCLOSED = [
    ("middle, last column", b'id,name\n1,abc\n2,"def\n3,ghi\n4,jkl\n', 3),
    ("middle, fields missing", b'id,name,x\n1,a,1\n2,"abc,2\n3,def,3\n', 3),
    ("last line", b'id,name\n1,abc\n2,def\n3,"ghi\n', 4),
    ("last line, no line break", b'id,name\n1,abc\n2,def\n3,"ghi', 4),
    ("crlf", b'id,name\r\n1,abc\r\n2,"def\r\n3,ghi\r\n', 3),
    ("after a closed multi-line value", b'id,name\n1,"a\nb"\n2,"c\n3,d\n', 4),
    ("after doubled quotes", b'id,name\n1,"say ""hi"""\n2,"say ""bye\n3,x\n', 3),
]


@pytest.mark.parametrize(("data", "line"), [c[1:] for c in UNCLOSED], ids=[c[0] for c in UNCLOSED])
def test_an_unclosed_quote_is_an_error_naming_its_line(tmp_path, mode, data, line):
    path = tmp_path / "in.csv"
    path.write_bytes(data)
    with pytest.raises(ValueError, match=rf"^csv_source: cannot read {path}: line {line}: "):
        run_module(CsvSource, {"file_path": str(path)}, mode=mode)


def test_an_unclosed_quote_deep_in_a_large_file(tmp_path, mode):
    rows = "".join(f"{i},name {i}\n" for i in range(300_000))  # several pyarrow blocks
    path = tmp_path / "in.csv"
    path.write_text(f'id,name\n{rows}300000,"oops\n{rows}')
    with pytest.raises(ValueError, match=rf"line 300002: {NEVER_CLOSED}"):
        run_module(CsvSource, {"file_path": str(path)}, mode=mode)


def test_an_unclosed_quote_in_a_compressed_file(tmp_path, mode):
    path = tmp_path / "in.csv.gz"
    path.write_bytes(gzip.compress(b'id,name\n1,abc\n2,"def\n3,ghi\n'))
    with pytest.raises(ValueError, match=rf"line 3: {NEVER_CLOSED}"):
        run_module(CsvSource, {"file_path": str(path)}, mode=mode)


def test_another_quote_character(tmp_path, mode):
    path = tmp_path / "in.csv"
    path.write_bytes(b"id;name\n1;'a;b'\n2;'c\n3;d\n")
    config = {"file_path": str(path), "delimiter": ";", "quotechar": "'"}
    with pytest.raises(ValueError, match=r"line 3: a quoted value \(\'\) opens here"):
        run_module(CsvSource, config, mode=mode)


CLOSED = [
    ("multi-line value last", b'id,name\n1,x\n2,"a\nb"\n', ["x", "a\nb"]),
    ("quoted, no line break", b'id,name\n1,x\n2,"y"', ["x", "y"]),
    ("doubled quotes last", b'id,name\n1,x\n2,"say ""hi"""\n', ["x", 'say "hi"']),
    ("literal quote", b'id,name\n1,x\n2,5" pipe\n', ["x", '5" pipe']),
    ("value ending in a line break", b'id,name\n1,x\n2,"y\n"\n', ["x", "y\n"]),
]


@pytest.mark.parametrize(("data", "names"), [c[1:] for c in CLOSED], ids=[c[0] for c in CLOSED])
def test_closed_quotes_are_read_as_before(tmp_path, mode, data, names):
    path = tmp_path / "in.csv"
    path.write_bytes(data)
    run = run_module(CsvSource, {"file_path": str(path)}, mode=mode)
    assert run.frame("data")["name"].tolist() == names


@pytest.mark.parametrize(
    ("text", "open_"),
    [
        ('1,"abc', True),
        ('1,"a""b', True),
        ('1,"a""b"', False),
        ('1,a"b', False),
        ('"a",b,"c\nd', True),
        ('"a",b,"c\nd"', False),
        ('1,"x"y,"z', True),
    ],
)
def test_ends_inside_quotes(text, open_):
    assert ends_inside_quotes(text, CsvFormat()) is open_


FLOW = """\
flow: {name: bad_text}
modules:
  - {id: read, name: csv_source, configs: {required: {file_path: in.csv}}}
  - {id: out, name: csv_sink, configs: {required: {output_path: out.csv}}}
connections:
  data: ["read.data - out.input"]
"""


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("id,name\n1,caf\xe9\n".encode("latin-1"), "line 2: byte 0xe9 (offset 13) is not valid"),
        (b'id,name\n1,"abc\n2,def\n', "line 2: a quoted value"),
    ],
    ids=["latin-1", "unclosed"],
)
def test_the_job_fails_with_one_line_and_writes_nothing(tmp_path, pype, data, message):
    (tmp_path / "in.csv").write_bytes(data)
    (tmp_path / "flow.yaml").write_text(FLOW)
    result = pype("run", "flow.yaml")
    assert result.code == 1, result.output
    assert f"csv_source: cannot read in.csv: {message}" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out.csv").exists()
