"""Module ids as SPEC §4 restricts them: each bad one refused at its line, with the reason.

Before, ``src`` and ``Src`` both validated and ``{{ src__row_count }}`` read the wrong one, an
id with ``__`` validated but its globals were unreachable, and a 300-character id broke
spilling. Each member of the class is refused at validate, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pypeline.build.load.load import load_flow
from pypeline.plugins.catalog import Catalog
from pypeline.shared.errors import FlowError

LoadProblems = Callable[[str], list[FlowError]]
HEAD = "flow: {name: ids}\nmodules:\n"  # the first module is on line 3


def _flow(*ids: str) -> str:
    return HEAD + "".join(f"  - {{id: {i}, name: log_row}}\n" for i in ids)


SHAPE = "is not a valid module id"


@pytest.mark.parametrize(
    ("ids", "expected"),
    [
        (("src", "Src"), [(4, "module id 'Src' differs from 'src' (line 3) only in case")]),
        (
            ("a", "load", "LOAD", "Load"),
            [
                (5, "module id 'LOAD' differs from 'load' (line 4) only in case"),
                (6, "module id 'Load' differs from 'load' (line 4) only in case"),
            ],
        ),
        (("show", "x", "show"), [(5, "duplicate module id 'show' (first declared at line 3)")]),
        (("src__x",), [(3, f"modules[0].id: 'src__x' {SHAPE}: '__' separates an id from")]),
        (
            ("a__",),
            [
                (3, f"modules[0].id: 'a__' {SHAPE}: '__' separates"),
                (3, f"modules[0].id: 'a__' {SHAPE}: a final _ runs into"),
            ],
        ),
        (("src_",), [(3, f"modules[0].id: 'src_' {SHAPE}: a final _ runs into the '__'")]),
        (("_src",), [(3, f"modules[0].id: '_src' {SHAPE}")]),
        (("1st",), [(3, f"modules[0].id: '1st' {SHAPE}")]),
        (("café",), [(3, f"modules[0].id: 'café' {SHAPE}")]),
        (("x" * 65,), [(3, f"modules[0].id: '{'x' * 40}...' (65 characters) is not a module id")]),
        (("x" * 300,), [(3, f"modules[0].id: '{'x' * 40}...' (300 characters) is not")]),
    ],
    ids=[
        "case",
        "case-thrice",
        "exact",
        "double-underscore",
        "trailing-double",
        "trailing",
        "leading-underscore",
        "leading-digit",
        "not-ascii",
        "65-chars",
        "300-chars",
    ],
)
def test_a_bad_module_id_is_refused_at_its_line(
    load_problems: LoadProblems, ids: tuple[str, ...], expected: list[tuple[int, str]]
) -> None:
    problems = load_problems(_flow(*ids))
    assert len(problems) == len(expected), [p.render() for p in problems]
    for problem, (line, message) in zip(problems, expected, strict=True):
        assert problem.line == line and problem.col > 1, problem.render()
        assert problem.message.startswith(message), problem.render()
        assert problem.hint, problem.render()


def test_ids_that_differ_in_more_than_case_and_fit_the_rules_load(
    flow_file: Path, probe_catalog: Catalog
) -> None:
    ids = ("src", "src2", "Src_b", "a_b_c", "A", "x" * 64)
    flow_file.write_text(_flow(*ids), encoding="utf-8")
    doc = load_flow("flow.yaml", probe_catalog)
    assert [m["id"] for m in doc.data["modules"]] == list(ids)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("{name: ids}", "{name: " + "a" * 65 + "}", "flow.name: "),
        ("modules:", "context: {" + "c" * 65 + ": {}}\nmodules:", "context: "),
    ],
    ids=["flow-name", "context-name"],
)
def test_names_that_become_file_names_are_bounded_too(
    load_problems: LoadProblems, old: str, new: str, message: str
) -> None:
    [problem] = load_problems(_flow("a").replace(old, new))
    assert problem.message.startswith(message) and "at most 64 characters" in problem.message
    assert "(65 characters)" in problem.message


def test_the_cli_refuses_a_case_clash_naming_both_lines_and_writes_nothing(
    pype: Any, tmp_path: Path
) -> None:
    sleep = "name: sleep, configs: {required: {seconds: 0}}}\n"
    flow = HEAD + "".join(f"  - {{id: {i}, {sleep}" for i in ("src", "show", "SRC"))
    (tmp_path / "flow.yaml").write_text(flow, encoding="utf-8")
    for command in ("validate", "build", "run"):
        result = pype(command, "flow.yaml")
        assert result.code == 2, result.output
        assert result.err.splitlines()[0] == (
            "flow.yaml:5:6: module id 'SRC' differs from 'src' (line 3) only in case"
        )
        assert "Traceback" not in result.output
    assert not (tmp_path / "jobs").exists()


@pytest.mark.parametrize(
    "text",
    [
        HEAD + '  - {id: "a\\nb", name: log_row}\n  - {id: "a\\nb", name: log_row}\n',
        HEAD + '  - {id: a, name: log_row}\n"top\\nkey": 1\n',
        HEAD + '  - {id: a, name: log_row, configs: {optional: {"k\\tey\\u0000": 1}}}\n',
        HEAD + '  - {id: a, name: "log\\nrow"}\n',
    ],
    ids=["id", "top-level-key", "config-key", "module-name"],
)
def test_names_quoted_in_a_problem_keep_it_one_line(load_problems: LoadProblems, text: str) -> None:
    messages = [p.render() for p in load_problems(text)]
    assert all(len(m.splitlines()) <= 2 and "\t" not in m for m in messages), messages  # + hint
    assert any("\\n" in m or "\\t" in m for m in messages), messages  # shown as escapes
