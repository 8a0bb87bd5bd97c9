"""The new file modules in whole flows: `pype validate` refusals (exit 2, key named), a run that
chains them, and bad data failing the run with the node named."""

from __future__ import annotations

import json
import zipfile

import pandas as pd
import pytest

PIPELINE = """\
flow: {name: files_chain}
modules:
  - {id: read, name: csv_source, configs: {required: {file_path: in/people.csv}, optional: {dtypes: {age: int}}}}
  - {id: by_city, name: parquet_sink, configs: {required: {output_path: out/people}, optional: {partition_cols: [city]}}}
  - {id: bad_rows, name: json_sink, configs: {required: {output_path: out/rejects.jsonl}}}
  - {id: report, name: excel_sink, configs: {required: {output_path: out/report.xlsx}, optional: {sheet: People}}}
  - {id: ship, name: file_archive, configs: {required: {source: out, output_path: ship/out.zip}}}
  - {id: keep, name: file_move, configs: {required: {source: "in/*.csv", target: done/}}}
  - {id: clean, name: file_delete, configs: {required: {path: out}, optional: {recursive: true}}}
connections:
  data:
    - "read.data - by_city.input"
    - "read.data - report.input"
    - "read.reject - bad_rows.input"
  control:
    - "read (1|) ship"
    - "ship (1|) keep"
    - "keep (1|{{ keep__count == 1 and ship__count == 4 }}) clean"
"""


def test_a_flow_chains_sources_sinks_and_file_operations(tmp_path, pypeline_flow):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "people.csv").write_text(
        "name,age,city\nann,31,Paris\nbob,x,Lyon\ncy,27,Lyon\ndee,45\n"
    )
    run = pypeline_flow(PIPELINE)

    assert run.exit_code == 0, run.events
    with zipfile.ZipFile(tmp_path / "ship" / "out.zip") as archive:
        names = archive.namelist()
        rejects = [json.loads(line) for line in archive.read("rejects.jsonl").splitlines()]
    assert [n for n in names if n.endswith(".parquet")] == [
        "people/city=Lyon/part-0.parquet",
        "people/city=Paris/part-0.parquet",
    ]
    assert "report.xlsx" in names
    assert [(r["line_number"], r["error_message"]) for r in rejects] == [
        (3, "column 'age': cannot convert 'x' to int"),
        (5, "expected 3 fields, found 2"),
    ]
    assert (tmp_path / "done" / "people.csv").exists()
    assert not (tmp_path / "out").exists()  # deleted after the archive was shipped
    assert run.node("read")["rows_out"] == 2
    assert run.node("clean")["status"] == "success"


@pytest.mark.parametrize(
    ("module", "configs", "expected"),
    [
        (
            "json_sink",
            "{required: {output_path: o.json}, optional: {date_format: unix}}",
            "date_format: must be one of iso, epoch",
        ),
        (
            "parquet_sink",
            "{required: {output_path: o, partition_cols: [a, a]}}",
            "partition_cols: names a column more than once",
        ),
        (
            "csv_sink",
            "{required: {output_path: o.csv.gz}, optional: {mode: append}}",
            "mode: cannot append to a compressed file",
        ),
        (
            "excel_sink",
            "{required: {output_path: o.xlsx, sheet: 'a:b'}}",
            "sheet: Excel sheet names cannot contain :",
        ),
    ],
)
def test_validate_refuses_bad_sink_configs_naming_the_key(
    tmp_path, pype, module, configs, expected
):
    flow = f"""\
flow: {{name: bad}}
modules:
  - {{id: src, name: fixed_rows, configs: {{required: {{rows: [{{a: 1}}]}}}}}}
  - {{id: out, name: {module}, configs: {configs}}}
connections:
  data: ["src.data - out.input"]
"""
    (tmp_path / "flow.yaml").write_text(flow)
    result = pype("validate", "flow.yaml")

    assert result.code == 2
    assert "flow.yaml:4:" in result.output
    assert f"module 'out' ({module}): {expected}" in result.output


def test_validate_refuses_bad_file_operation_configs(tmp_path, pype):
    (tmp_path / "flow.yaml").write_text("""\
flow: {name: bad_ops}
modules:
  - {id: zip, name: file_archive, configs: {required: {source: out, output_path: out.rar}}}
  - {id: rm, name: file_delete, configs: {required: {path: []}}}
  - {id: cp, name: file_copy, configs: {required: {source: a.csv, target: [b, c]}}}
""")
    result = pype("validate", "flow.yaml")

    assert result.code == 2
    assert "module 'zip' (file_archive): format: not set" in result.output
    assert "module 'rm' (file_delete): path: must be a path" in result.output
    assert "module 'cp' (file_copy): target must be str" in result.output


def test_excel_modules_are_refused_in_dask_mode(tmp_path, pype):
    (tmp_path / "flow.yaml").write_text("""\
flow: {name: sheets}
settings: {execution_mode: dask}
modules:
  - {id: book, name: excel_source, configs: {required: {file_path: in.xlsx}}}
  - {id: out, name: excel_sink, configs: {required: {output_path: out.xlsx}}}
connections:
  data: ["book.data - out.input"]
""")
    result = pype("validate", "flow.yaml")

    assert result.code == 2
    assert "module 'excel_source' (book) does not support execution_mode: dask" in result.output
    assert "module 'excel_sink' (out) does not support execution_mode: dask" in result.output


def test_bad_data_fails_the_run_naming_the_node(tmp_path, pype):
    (tmp_path / "bad.json").write_text('[{"a": 1},\n {"a" 2}]')
    (tmp_path / "flow.yaml").write_text("""\
flow: {name: bad_json}
modules:
  - {id: read_orders, name: json_source, configs: {required: {file_path: bad.json}}}
  - {id: out, name: csv_sink, configs: {required: {output_path: out.csv}}}
connections:
  data: ["read_orders.data - out.input"]
""")
    result = pype("run", "flow.yaml")

    assert result.code == 1
    assert "read_orders" in result.output
    assert "json_source: bad.json: invalid JSON at line 2, column 7" in result.output
    assert not (tmp_path / "out.csv").exists()
    with pytest.raises(ValueError):  # pandas refuses the same file
        pd.read_json(tmp_path / "bad.json")
