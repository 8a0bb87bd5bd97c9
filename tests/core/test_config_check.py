"""A templated config value is checked once it is rendered, by the engine, before ``run``.

The build cannot see what a template renders to, so the engine checks the rendered values with
the build's own rules (``CONFIG_SCHEMA`` types, then the module's ``check_config``) and fails the
node with one line that names where the module is written, its id, the module, the key and the
problem. The module's ``run`` is never called with a value it cannot take.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pypeline.testing import FlowRun, PypeResult

RunFlow = Callable[..., FlowRun]
MODES = ["pandas", "dask"]

FLOW = """\
flow: {{name: checked}}
settings: {{execution_mode: {mode}}}
context:
  default: {{value: {value}}}
modules:
  - {{id: rows, name: fixed_rows, configs: {{required: {{rows: [{{a: 2}}, {{a: 1}}]}}}}}}
  - id: cut
    name: {module}
    configs: {{required: {{{key}: "{{{{ context.value }}}}"}}}}
  - {{id: show, name: log_row}}
connections:
  data: ["rows.data - cut.{port}", "cut.output - show.input"]
"""


def _failed_at_its_line(run: FlowRun, node: str, line: int) -> str:
    """The node's one-line error; the run failed there and nothing downstream ran."""
    assert run.exit_code == 1
    record = run.node(node)
    assert record["status"] == "failed"
    error = str(record["error"])
    assert "\n" not in error
    assert error.startswith(f"checked.yaml:{line}: module '{node}' (")
    assert [e["node_id"] for e in run.of("module_start")].count("show") == 0
    return error


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("module", "key", "value", "message"),
    [
        ("limit_mod", "rows", -2, "(limit_mod): rows: must be 0 or more, not -2"),
        ("limit_mod", "rows", "ten", "(limit_mod): rows must be int, got str 'ten'"),
        ("sort_mod", "by", "[a, a]", "(sort_mod): by: names a column more than once: a"),
        ("sort_mod", "by", "[]", "(sort_mod): by: must list at least one column"),
        ("filter_mod", "condition", "'a >'", "(filter_mod): condition: "),
    ],
)
def test_a_rendered_value_is_checked_before_the_module_runs(
    pypeline_flow: RunFlow, mode: str, module: str, key: str, value: object, message: str
) -> None:
    flow = FLOW.format(mode=mode, value=value, module=module, key=key, port="input")
    run = pypeline_flow(flow)
    assert message in _failed_at_its_line(run, "cut", 7)


def test_a_source_whose_rows_render_to_a_number_fails_before_it_runs(
    pypeline_flow: RunFlow,
) -> None:
    run = pypeline_flow(
        """\
flow: {name: checked}
context:
  default: {count: 5}
modules:
  - {id: show, name: log_row}
  - {id: rows, name: fixed_rows, configs: {required: {rows: "{{ context.count }}"}}}
connections:
  data: ["rows.data - show.input"]
"""
    )
    error = _failed_at_its_line(run, "rows", 6)
    assert error == "checked.yaml:6: module 'rows' (fixed_rows): rows must be list, got int 5"


def test_the_same_value_written_literally_is_refused_by_the_build(
    pype: Callable[..., PypeResult], tmp_path: Path
) -> None:
    flow = FLOW.format(mode="pandas", value=0, module="limit_mod", key="rows", port="input")
    (tmp_path / "flow.yaml").write_text(flow.replace('"{{ context.value }}"', "-2"))
    result = pype("validate", "flow.yaml")
    assert result.code == 2
    assert "flow.yaml:9:" in result.err
    assert "module 'cut' (limit_mod): rows: must be 0 or more, not -2" in result.err


def test_run_is_not_called_when_its_rendered_args_are_refused(
    pypeline_flow: RunFlow, tmp_path: Path
) -> None:
    marker = tmp_path / "called.txt"
    (tmp_path / "checked_fn.py").write_text(
        "from pathlib import Path\n\n\n"
        "def touch(frame, size=0):\n"
        f"    Path({str(marker)!r}).write_text('called')\n"
        "    return frame\n"
    )
    run = pypeline_flow(
        """\
flow: {name: checked}
context:
  default: {args: {colour: red}}
modules:
  - {id: rows, name: fixed_rows, configs: {required: {rows: [{a: 1}]}}}
  - id: fn
    name: python_mod
    configs:
      required: {function: "checked_fn:touch"}
      optional: {args: "{{ context.args }}"}
connections:
  data: ["rows.data - fn.input"]
"""
    )
    error = _failed_at_its_line(run, "fn", 6)
    assert "(python_mod): args: checked_fn:touch does not take these args" in error
    assert not marker.exists()
