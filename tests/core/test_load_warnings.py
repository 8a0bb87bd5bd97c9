"""Load-phase warnings reach the user: every command that builds prints them, as it prints the
plan's, located ``file:line:col: warning: ...`` on stderr, and the command still succeeds.

No load check warns yet, so a stand-in check (patched into the load phase) raises one; the
mechanism under test is the path from ``FlowDoc.warnings`` to the terminal.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from pypeline.build.load import load as load_phase
from pypeline.build.load.document import FlowDoc
from pypeline.cli.cli import cli
from pypeline.shared.errors import FlowError

FLOW = """\
flow: {name: warned}
modules:
  - id: rows
    name: fixed_rows
    configs:
      required:
        rows: [{a: 1}]
  - id: show
    name: log_row
connections:
  data: ["rows.data - show.input"]
  control: ["rows (1|) show"]
"""


@pytest.fixture
def load_warns(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The load phase warns about the ``rows`` key of module ``rows`` (line 7, column 9)."""
    real = load_phase.check_ids

    def check_ids(doc: FlowDoc) -> list[FlowError]:
        where = ("modules", 0, "configs", "required", "rows")
        return [*real(doc), doc.error(where, "rows: a stand-in load warning", severity="warning")]

    monkeypatch.setattr(load_phase, "check_ids", check_ids)
    monkeypatch.chdir(tmp_path)
    Path("flow.yaml").write_text(FLOW, encoding="utf-8")
    return Path("flow.yaml")


def invoke(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.mark.parametrize("command", [["validate"], ["build", "-o", "jobs"]])
def test_validate_and_build_print_load_warnings_with_their_location(
    load_warns: Path, command: list[str]
) -> None:
    result = invoke(*command, str(load_warns))
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert "flow.yaml:7:9: warning: rows: a stand-in load warning" in lines
    assert result.stdout.strip()  # the command's own line: "ok" or "built"


def test_load_warnings_come_before_plan_warnings(load_warns: Path) -> None:
    """Both phases' warnings are shown, in phase order (the control edge here is redundant)."""
    result = invoke("validate", str(load_warns))
    warnings = [line for line in result.stderr.splitlines() if ": warning: " in line]
    assert len(warnings) == 2
    assert warnings[0].startswith("flow.yaml:7:9: warning: rows:")
    assert "inside one sub flow" in warnings[1] and warnings[1].startswith("flow.yaml:12:13:")


def test_run_prints_load_warnings(load_warns: Path) -> None:
    result = invoke("run", str(load_warns))
    assert result.exit_code == 0, result.output
    assert "flow.yaml:7:9: warning: rows: a stand-in load warning" in result.stderr.splitlines()
