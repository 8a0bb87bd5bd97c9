"""A templated file option is checked once rendered, by the engine, before the module runs.

The build cannot see what ``{{ context.sep }}`` will be; the engine checks the rendered value
with the module's own ``check_config`` and fails the node with one located line. Nothing is
read or written: the module's ``run`` is never called.
"""

from __future__ import annotations

import pytest

FLOW = """\
flow: {{name: files_checked}}
settings: {{execution_mode: {mode}}}
context:
  default: {{sep: "{sep}", encoding: "{encoding}"}}
modules:
  - {{id: read, name: csv_source, configs: {{required: {{file_path: in.csv}}, optional: {{encoding: "{{{{ context.encoding }}}}"}}}}}}
  - id: write
    name: csv_sink
    configs:
      required: {{output_path: out/people.csv}}
      optional: {{delimiter: "{{{{ context.sep }}}}"}}
connections:
  data: ["read.data - write.input"]
"""


def _error(run, node):
    assert run.exit_code == 1
    record = run.node(node)
    assert record["status"] == "failed"
    return str(record["error"])


@pytest.mark.parametrize("mode", ["pandas", "dask"])
def test_a_delimiter_that_renders_to_two_characters_writes_nothing(tmp_path, pypeline_flow, mode):
    (tmp_path / "in.csv").write_text("name,age\nAda,36\n", encoding="utf-8")
    run = pypeline_flow(FLOW.format(mode=mode, sep=";;", encoding="utf-8"))
    assert _error(run, "write") == (
        "files_checked.yaml:7: module 'write' (csv_sink): delimiter: "
        "must be a single character, got ';;'"
    )
    assert run.node("read")["status"] == "success"
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("mode", ["pandas", "dask"])
def test_an_encoding_that_renders_unknown_fails_the_source_before_reading(
    tmp_path, pypeline_flow, mode
):
    run = pypeline_flow(FLOW.format(mode=mode, sep=",", encoding="klingon"))  # no in.csv at all
    assert _error(run, "read") == (
        "files_checked.yaml:6: module 'read' (csv_source): encoding: unknown encoding 'klingon'"
    )
    assert [e["node_id"] for e in run.of("module_start")] == ["read"]
