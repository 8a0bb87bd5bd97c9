"""json_source and json_sink read and write what pandas does, JSON arrays and JSON Lines."""

from __future__ import annotations

import gzip
import json

import dask.dataframe as dd
import pandas as pd
import pytest

from pypeline.testing import run_module
from pypeline_files import json_read
from pypeline_files.json_sink import JsonSink
from pypeline_files.json_source import JsonSource

RECORDS = [
    {"id": 1, "code": "007", "amount": 1.5, "tags": ["a", "b"], "who": {"name": "Ann"}},
    {"id": 2, "code": "008", "amount": None, "tags": [], "who": {"name": "Bob"}},
    {"id": 3, "code": None, "amount": 2.25, "tags": ["c"], "who": {"name": "Cy"}, "extra": "é"},
]


def as_array(records):
    return json.dumps(records, indent=2)


def as_lines(records):
    return "".join(json.dumps(r) + "\n" for r in records)


@pytest.fixture
def frame():
    return pd.DataFrame(
        {
            "id": [1, 2, 3],
            "name": ["Ann", None, "Zoë"],
            "amount": [1.5, None, 2.25],
            "when": pd.to_datetime(["2024-01-02 00:00:00", "2024-01-03 04:05:06", None]),
        }
    )


@pytest.mark.parametrize(
    ("name", "text", "lines"), [("in.json", as_array, False), ("in.jsonl", as_lines, True)]
)
def test_source_reads_what_pandas_reads(tmp_path, mode, name, text, lines):
    path = tmp_path / name
    path.write_text(text(RECORDS), encoding="utf-8")
    run = run_module(JsonSource, {"file_path": str(path)}, mode=mode)

    expected = pd.read_json(path, orient="records", lines=lines, dtype=False)
    pd.testing.assert_frame_equal(run.frame("data"), expected)
    assert run.frame("data")["code"].tolist()[:2] == ["007", "008"]  # text stays text
    assert run.frame("data")["who"][2] == {"name": "Cy"}
    assert run.globals["row_count"] == 3
    assert run.globals["file_size"] == path.stat().st_size


def test_lines_option_overrides_the_extension(tmp_path, mode):
    path = tmp_path / "export.txt"
    path.write_text(as_lines(RECORDS))
    run = run_module(JsonSource, {"file_path": str(path), "lines": True}, mode=mode)

    assert run.frame("data")["id"].tolist() == [1, 2, 3]


def test_source_decompresses_and_reads_urls(memory_fs, mode):
    memory_fs.pipe("/in/events.ndjson.gz", gzip.compress(as_lines(RECORDS).encode()))
    run = run_module(JsonSource, {"file_path": "memory://in/events.ndjson.gz"}, mode=mode)

    assert run.frame("data")["amount"].tolist()[::2] == [1.5, 2.25]


def test_large_json_lines_file_is_split_in_dask_mode(tmp_path, monkeypatch):
    monkeypatch.setattr(json_read, "_BLOCKSIZE", 2**20)
    path = tmp_path / "big.jsonl"
    path.write_text(as_lines([{"i": i, "s": "x" * 50} for i in range(50_000)]))
    run = run_module(JsonSource, {"file_path": str(path)}, mode="dask")

    assert run.outputs["data"].npartitions > 1
    assert run.globals["row_count"] == 50_000
    assert run.frame("data")["i"].tolist() == list(range(50_000))


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        ("bad.jsonl", '{"a": 1}\n\n{"a": nope}\n', "line 3"),
        ("bad.json", '[\n  {"a": 1},\n  {"a" 2}\n]', "line 3, column 8"),
    ],
)
def test_invalid_json_names_the_file_and_the_place(tmp_path, name, text, where):
    (tmp_path / name).write_text(text)
    with pytest.raises(ValueError, match=rf"json_source: .*{name}: invalid JSON at {where}"):
        run_module(JsonSource, {"file_path": str(tmp_path / name)})


def test_a_top_level_object_is_refused_with_a_hint(tmp_path, mode):
    (tmp_path / "one.json").write_text('{"a": 1}\n{"a": 2}\n')
    with pytest.raises(ValueError, match=r"not an array of objects \(for one object per line"):
        run_module(JsonSource, {"file_path": str(tmp_path / "one.json")}, mode=mode)


def test_empty_file_and_missing_file(tmp_path, mode):
    (tmp_path / "empty.jsonl").write_bytes(b"")
    run = run_module(JsonSource, {"file_path": str(tmp_path / "empty.jsonl")}, mode=mode)
    assert run.frame("data").empty
    assert run.globals["row_count"] == 0
    with pytest.raises(FileNotFoundError, match=r"json_source: no such file: .*gone\.json"):
        run_module(JsonSource, {"file_path": str(tmp_path / "gone.json")}, mode=mode)


def sink_input(frame, mode):
    return {"input": dd.from_pandas(frame, npartitions=2) if mode == "dask" else frame}


def test_sink_json_lines_are_pandas_bytes(tmp_path, mode, frame):
    out = tmp_path / "out.jsonl"
    run = run_module(JsonSink, {"output_path": str(out)}, mode=mode, inputs=sink_input(frame, mode))

    pandas = frame.to_json(orient="records", lines=True, date_format="iso", force_ascii=False)
    assert out.read_text(encoding="utf-8") == pandas
    assert run.globals["row_count"] == 3


def test_sink_array_holds_the_same_records_one_per_line(tmp_path, mode, frame):
    out = tmp_path / "out.json"
    run_module(JsonSink, {"output_path": str(out)}, mode=mode, inputs=sink_input(frame, mode))

    text = out.read_text(encoding="utf-8")
    pandas = frame.to_json(orient="records", date_format="iso", force_ascii=False)
    assert json.loads(text) == json.loads(pandas)
    assert text.splitlines()[0] == "[" and text.splitlines()[-1] == "]"
    assert len(text.splitlines()) == 2 + len(frame)
    assert "Zoë" in text


def test_sink_options_epoch_dates_and_compression(tmp_path, frame):
    out = tmp_path / "out.json.gz"
    config = {"output_path": str(out), "date_format": "epoch", "lines": True}
    run_module(JsonSink, config, inputs={"input": frame})

    first = json.loads(gzip.decompress(out.read_bytes()).splitlines()[0])
    assert first["when"] == 1704153600000


def test_sink_empty_frame_is_an_empty_array(tmp_path, mode, frame):
    out = tmp_path / "none.json"
    run_module(
        JsonSink, {"output_path": str(out)}, mode=mode, inputs=sink_input(frame.head(0), mode)
    )

    assert json.loads(out.read_text()) == []


def test_round_trip_and_memory_url(memory_fs, mode, frame):
    url = "memory://lake/people.jsonl"
    run_module(JsonSink, {"output_path": url}, mode=mode, inputs=sink_input(frame, mode))
    back = run_module(JsonSource, {"file_path": url}, mode=mode).frame("data")

    assert back["name"].tolist()[::2] == ["Ann", "Zoë"]
    assert back["when"].tolist()[:2] == ["2024-01-02T00:00:00.000", "2024-01-03T04:05:06.000"]


def test_failed_write_leaves_the_old_file(tmp_path, frame, monkeypatch):
    out = tmp_path / "out.json"
    out.write_text("[]\n")

    def explode(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_json", explode)
    with pytest.raises(OSError, match="disk full"):
        run_module(JsonSink, {"output_path": str(out)}, inputs={"input": frame})
    assert out.read_text() == "[]\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_check_config():
    assert JsonSink.check_config({"date_format": "iso"}) == []
    [(key, message)] = JsonSink.check_config({"date_format": "unix"})
    assert message == "must be one of iso, epoch, not 'unix'"
    [(key, _)] = JsonSource.check_config({"encoding": "utf-99"})
    assert key == "encoding"
