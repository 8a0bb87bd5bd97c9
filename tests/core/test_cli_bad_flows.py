"""Bad flows through the real CLI: exit 2, ``file:line:col: message``, no traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

GOOD = """\
flow: {name: bad_one}
modules:
  - id: src
    name: fixed_rows
    configs:
      required:
        rows: [{age: 20}, {age: 10}]
  - id: keep
    name: filter_mod
    configs:
      required:
        condition: "age > 18"
  - id: show
    name: log_row
  - id: pause
    name: sleep
    configs:
      required:
        seconds: 0
connections:
  data:
    - "src.data - keep.input"
    - "keep.output - show.input"
  control:
    - "src (1|) pause"
"""

# (name, text replaced, replacement, line, message fragment)
CASES: list[tuple[str, str, str, int, str]] = [
    ("yaml syntax", "  - id: show\n", "  - id: show\n   oops: [\n", 14, "bad YAML"),
    ("schema: unknown top key", "connections:", "conections:", 20, "'conections'"),
    (
        "schema: bad enum",
        "flow: {name: bad_one}",
        "flow: {name: bad_one}\nsettings: {fail_strategy: stop}",
        2,
        "'stop' is not one of",
    ),
    ("schema: flow name", "name: bad_one", "name: Bad One", 1, "snake_case"),
    ("unknown module", "name: log_row", "name: log_rows", 14, "unknown module 'log_rows'"),
    (
        "missing config",
        "        seconds: 0\n",
        "        {}\n",
        17,
        "missing required config key 'seconds'",
    ),
    ("unknown config key", "condition:", "conditon:", 12, "unknown config key 'conditon'"),
    ("bad config type", "seconds: 0", "seconds: [1]", 19, "seconds must be float"),
    ("bad template syntax", '"age > 18"', '"age > {{ context.x "', 12, "bad template syntax"),
    ("unsafe condition", '"age > 18"', "\"__import__('os').system('x')\"", 12, "condition"),
    ("duplicate id", "  - id: pause\n", "  - id: show\n", 15, "duplicate module id 'show'"),
    ("unknown out port", "keep.output - show", "keep.outptu - show", 23, "no output port 'outptu'"),
    (
        "unknown in port",
        "src.data - keep.input",
        "src.data - keep.inptu",
        22,
        "no input port 'inptu'",
    ),
    (
        "unknown id in data",
        "src.data - keep.input",
        "srx.data - keep.input",
        22,
        "unknown module id 'srx'",
    ),
    (
        "input port fed twice",
        '    - "keep.output - show.input"\n',
        '    - "keep.output - show.input"\n    - "keep.reject - keep.input"\n',
        24,
        "already connected",
    ),
    ("order 0", "src (1|) pause", "src (0|) pause", 25, "order 0 is reserved"),
    (
        "edge into a transform",
        "src (1|) pause",
        "pause (1|) keep",
        25,
        "control connection into 'keep', a mod module",
    ),
    (
        "control cycle",
        '    - "src (1|) pause"\n',
        '    - "src (1|) pause"\n    - "pause (1|) src"\n',
        26,
        "control cycle",
    ),
    ("bad control grammar", "src (1|) pause", "src -> pause", 25, "bad control connection"),
    (
        "unconnected input",
        '    - "keep.output - show.input"\n',
        "",
        13,
        "input port 'show.input' has no data connection",
    ),
    (
        "bad condition syntax",
        "src (1|) pause",
        "src (1|x >) pause",
        25,
        "bad template syntax in condition",
    ),
    ("id case clash", "  - id: pause\n", "  - id: SRC\n", 15, "differs from 'src' (line 3)"),
    ("id with __", "  - id: pause\n", "  - id: pa__use\n", 15, "'pa__use' is not a valid"),
    ("data from items", "src.data - keep", "src.items - keep", 22, "'src.items' carries the list"),
    (
        "second iterate edge",
        '    - "src (1|) pause"\n',
        '    - "src (1|) iterate pause"\n    - "keep (2|) iterate pause"\n',
        26,
        "a second iterate connection into the sub flow of 'pause'",
    ),
    ("too deep", "[{age: 20}, {age: 10}]", "[" * 70 + "]" * 70, 7, "nests more than 64 levels"),
]


@pytest.mark.parametrize(
    ("name", "old", "new", "line", "message"), CASES, ids=[c[0] for c in CASES]
)
def test_bad_flow_exits_2_with_location(
    pype: Any, tmp_path: Path, name: str, old: str, new: str, line: int, message: str
) -> None:
    assert old in GOOD, name
    (tmp_path / "flow.yaml").write_text(GOOD.replace(old, new, 1), encoding="utf-8")
    for command in (["validate", "flow.yaml"], ["build", "flow.yaml"], ["run", "flow.yaml"]):
        result = pype(*command)
        assert result.code == 2, (command, result.output)
        assert "Traceback" not in result.output
        located = [ln for ln in result.err.splitlines() if ln.startswith(f"flow.yaml:{line}:")]
        assert any(message in ln for ln in located), result.err
    assert not (tmp_path / "jobs").exists() or not any((tmp_path / "jobs").iterdir())


def test_data_cycle_is_reported_with_its_members(pype: Any, tmp_path: Path) -> None:
    text = GOOD.replace(
        '    - "keep.output - show.input"\n',
        '    - "keep.output - show.input"\n',
    ).replace("name: log_row", "name: filter_mod\n    configs: {required: {condition: x}}")
    text = text.replace('    - "src.data - keep.input"\n', '    - "show.output - keep.input"\n')
    (tmp_path / "flow.yaml").write_text(text, encoding="utf-8")
    result = pype("validate", "flow.yaml")
    assert result.code == 2
    assert "data cycle between modules: keep, show" in result.err


def test_the_good_flow_validates(pype: Any, tmp_path: Path) -> None:
    (tmp_path / "flow.yaml").write_text(GOOD, encoding="utf-8")
    result = pype("validate", "flow.yaml")
    assert result.code == 0, result.output
    assert "flow.yaml: ok (4 modules, 2 sub flows)" in result.out
