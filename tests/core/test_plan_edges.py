"""Connections that validated but then misbehaved at run time are refused at validate.

Two ITERATE edges into one sub flow: the second list never ran (its frames were already "run"),
exit 0. Decided: refused, naming both edges; one sub flow iterates over one list. A data
connection from ``items``: it carries the list an ITERATE edge loops over, not rows, and failed
at run with ``'list' object has no attribute 'to_pandas'``. Refused, whatever the module.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pytest

from pypeline.build.build import validate_flow
from pypeline.plugins.catalog import Catalog
from pypeline.sdk.base import BaseModule
from pypeline.shared.errors import FlowError, FlowInvalid


class ListOnly(BaseModule):
    """Like the files pack's ``file_list``: a solo module whose only output is ``items``."""

    NAME = "list_only"
    TYPE = "solo"
    OUTPUT_PORTS: ClassVar[list[str]] = ["items"]
    CONFIG_SCHEMA: ClassVar[dict[str, dict[str, dict[str, Any]]]] = {"required": {}, "optional": {}}


HEAD = """\
flow: {name: edges}
modules:
  - {id: days, name: fixed_rows, configs: {required: {rows: [1, 2]}}}
  - {id: hours, name: fixed_rows, configs: {required: {rows: [3, 4]}}}
  - {id: files, name: list_only}
  - {id: work, name: fixed_rows, configs: {required: {rows: [{a: 1}]}}}
  - {id: more, name: fixed_rows, configs: {required: {rows: [{a: 2}]}}}
  - {id: both, name: union_mod}
  - {id: show, name: log_row}
connections:
  data:
    - work.data - both.input1
    - more.data - both.input2
    - both.output - show.input
  control:
"""  # control connections start on line 16


def _problems(tmp_path: Path, catalog: Catalog, text: str) -> list[FlowError]:
    catalog.add(ListOnly, "tests")
    path = tmp_path / "flow.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FlowInvalid) as info:
        validate_flow(path, catalog)
    return [p for p in info.value.problems if p.severity == "error"]


@pytest.mark.parametrize(
    ("edges", "second"),
    [
        (
            ["days (1|) iterate work", "hours (1|) iterate work"],
            "hours -> work, after days -> work",
        ),
        (
            ["days (1|) iterate work", "hours (2|) iterate more"],
            "hours -> more, after days -> work",
        ),
        (["days (1|) iterate work", "days (2|) iterate work"], "days -> work, after days -> work"),
        (["files (1|) iterate work", "{from: days, to: more, type: iterate}"], "days -> more"),
    ],
    ids=["two-sources", "two-members-of-one-sub-flow", "one-source-twice", "mapping-form"],
)
def test_a_second_iterate_edge_into_one_sub_flow_names_both(
    tmp_path: Path, probe_catalog: Catalog, edges: list[str], second: str
) -> None:
    text = HEAD + "".join(f"    - {edge}\n" for edge in edges)
    [problem] = _problems(tmp_path, probe_catalog, text)
    assert (problem.line, problem.col) == (17, 7)
    assert problem.message.startswith("a second iterate connection into the sub flow of")
    assert second in problem.message and "at line 16" in problem.message
    assert problem.hint


def test_iterate_edges_into_different_sub_flows_are_fine(
    tmp_path: Path, probe_catalog: Catalog
) -> None:
    text = HEAD.replace(
        "  - {id: show, name: log_row}\n",
        "  - {id: show, name: log_row}\n"
        "  - {id: pause, name: sleep, configs: {required: {seconds: 0}}}\n",
    )
    text += "    - days (1|) iterate work\n    - hours (1|) iterate pause\n"
    path = tmp_path / "flow.yaml"
    path.write_text(text, encoding="utf-8")
    probe_catalog.add(ListOnly, "tests")
    assert validate_flow(path, probe_catalog).plan.control_edges[1].type == "iterate"


@pytest.mark.parametrize(
    ("data", "hint"),
    [
        ("days.items - show.input", "read its rows from 'days.data', or loop over"),
        ("days.items - both.input1", "read its rows from 'days.data'"),
        ("files.items - show.input", "loop over the items with a control connection"),
    ],
    ids=["into-a-sink", "into-a-transform", "module-with-only-items"],
)
def test_a_data_connection_from_items_is_refused(
    tmp_path: Path, probe_catalog: Catalog, data: str, hint: str
) -> None:
    text = HEAD.replace("    - work.data - both.input1\n", f"    - {data}\n", 1)
    if "show" in data:
        text = text.replace("    - both.output - show.input\n", "")
    problems = _problems(tmp_path, probe_catalog, text)
    src = data.split(".")[0]
    [problem] = [p for p in problems if "items" in p.message]
    assert problem.line == 12 and problem.col == 7
    assert problem.message == (
        f"'{src}.items' carries the list an iterate connection loops over, not rows: "
        "it cannot be a data connection"
    )
    assert problem.hint is not None and problem.hint.startswith(hint)
    assert f"'{src} (1|) iterate <id>'" in problem.hint


def test_the_cli_refuses_both_and_writes_no_job_folder(pype: Any, tmp_path: Path) -> None:
    text = HEAD.replace("  - {id: files, name: list_only}\n", "")
    text = text.replace("    - work.data - both.input1\n", "    - days.items - both.input1\n")
    text += "    - days (1|) iterate work\n    - hours (1|) iterate work\n"
    (tmp_path / "flow.yaml").write_text(text, encoding="utf-8")
    for command in ("validate", "build", "run"):
        result = pype(command, "flow.yaml")
        assert result.code == 2, result.output
        located = [line for line in result.err.splitlines() if line.startswith("flow.yaml:")]
        assert [line.split(": ")[0] for line in located] == ["flow.yaml:11:7", "flow.yaml:16:7"]
        assert "Traceback" not in result.output
    assert not (tmp_path / "jobs").exists()
