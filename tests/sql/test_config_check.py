"""A templated SQL option is checked once rendered, by the engine, before the module runs.

The build sees no template's value; the engine checks the rendered config with the module's own
``check_config`` and fails the node with one located line, before a connection is opened.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pypeline.testing import FlowRun

RunFlow = Callable[..., FlowRun]

FLOW = """\
flow: {{name: sql_checked}}
settings: {{execution_mode: {mode}}}
context:
  default: {{url: "sqlite:///{db}", value: "{value}"}}
modules:
  - {{id: rows, name: fixed_rows, configs: {{required: {{rows: [{{a: 1}}]}}}}}}
  - id: load
    name: sql_sink
    configs:
      required: {{url: "{{{{ context.url }}}}", table: t}}
      optional: {{if_exists: "{{{{ context.value }}}}"}}
connections:
  data: ["rows.data - load.input"]
"""

SOURCE = """\
flow: {{name: sql_checked}}
settings: {{execution_mode: {mode}}}
context:
  default: {{url: "sqlite:///{db}", value: ""}}
modules:
  - id: read
    name: sql_source
    configs:
      required: {{url: "{{{{ context.url }}}}"}}
      optional: {{query: "{{{{ context.value }}}}"}}
  - {{id: show, name: log_row}}
connections:
  data: ["read.data - show.input"]
"""


def _error(run: FlowRun, node: str) -> str:
    assert run.exit_code == 1
    record = run.node(node)
    assert record["status"] == "failed"
    return str(record["error"])


def test_a_rendered_if_exists_is_refused_before_the_database_is_touched(
    pypeline_flow: RunFlow, tmp_path: Path
) -> None:
    db = tmp_path / "out.db"
    run = pypeline_flow(FLOW.format(mode="pandas", db=db, value="overwrite"))  # a pandas sink
    assert _error(run, "load") == (
        "sql_checked.yaml:7: module 'load' (sql_sink): if_exists: "
        "must be one of append, replace, fail, truncate, not 'overwrite'"
    )
    assert not db.exists()


@pytest.mark.parametrize("mode", ["pandas", "dask"])
def test_a_query_that_renders_empty_with_no_table_is_refused(
    pypeline_flow: RunFlow, tmp_path: Path, mode: str
) -> None:
    run = pypeline_flow(SOURCE.format(mode=mode, db=tmp_path / "in.db"))
    assert _error(run, "read") == (
        "sql_checked.yaml:6: module 'read' (sql_source): query: "
        "give a query (SQL text) or a table to read"
    )
    assert [e["node_id"] for e in run.of("module_start")] == ["read"]
