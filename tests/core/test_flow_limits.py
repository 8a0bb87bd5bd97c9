"""A flow file is untrusted input: its size, its aliases and its depth are bounded (issue 10).

Each test is one member of the class "a small or endless file makes the loader do unbounded
work": an endless file, aliases that multiply values or text, merge keys that do the same,
nesting past Python's recursion limit, written out or reached through aliases. Each is refused
at the line and column where the limit is crossed, quickly, and never as a ``RecursionError``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pypeline.build.load import load as load_module
from pypeline.build.load.load import load_flow
from pypeline.plugins.catalog import Catalog
from pypeline.shared.errors import FlowError, FlowInvalid

LoadProblems = Callable[[str], list[FlowError]]
HEAD = "flow: {name: limits}\nmodules:\n  - {id: p, name: probe, configs: {required: {ratio: 1}}}\n"


def _laughs(levels: int, width: int, leaf: str) -> str:
    """The "billion laughs": each level an anchored list of ``width`` aliases of the last."""
    lines = [HEAD + "context:\n  default:", f"    l0: &l0 {leaf}"]
    for i in range(1, levels):
        lines.append(f"    l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


def _merges(levels: int) -> str:
    """Merge keys that double a mapping's entries at every level, before deduplication."""
    lines = [HEAD + "context:\n  default:", "    m0: &m0 {k0: 1, k1: 2, k2: 3, k3: 4}"]
    for i in range(1, levels):
        lines.append(f"    m{i}: &m{i} {{<<: [{', '.join([f'*m{i - 1}'] * 8)}]}}")
    return "\n".join(lines) + "\n"


def _nested(depth: int, opening: str = "[", closing: str = "]") -> str:
    """``context.default.x`` (level 3) holds ``depth`` nested lists, so its ``1`` is at level
    ``depth + 4``: 60 is as deep as a flow may go."""
    return HEAD + "context:\n  default:\n    x: " + opening * depth + "1" + closing * depth + "\n"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (_laughs(9, 10, "[a, b]"), 11, "more than 100,000 values once its aliases are expanded"),
        (_laughs(4, 30, repr("x" * 20_000)), 8, "past 10,485,760 characters of text"),
        (_merges(9), 11, "more than 100,000 values once its merge keys are expanded"),
        (_nested(61), 6, "the flow nests more than 64 levels deep"),
        (_nested(500, "{a: ", "}"), 6, "the flow nests more than 64 levels deep"),
        (
            HEAD
            + "context:\n  default:\n    x:\n"
            + "".join("      " + "  " * i + "- \n" for i in range(100)),
            68,
            "the flow nests more than 64 levels deep",
        ),
        (
            HEAD + "context:\n  default:\n    a: &a [[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]\n"
            "    b: &b [[[[[[[[[[[[[[[[[[[[*a]]]]]]]]]]]]]]]]]]]]\n"
            "    c: &c [[[[[[[[[[[[[[[[[[[[*b]]]]]]]]]]]]]]]]]]]]\n    d: [*c]\n",
            9,
            "the flow nests more than 64 levels deep",
        ),
        (
            HEAD
            + "context:\n  default:\n    a: ["
            + ", ".join(f"&m{i} {{<<: *m{i - 1}}}" if i else "&m0 {k: 1}" for i in range(80))
            + "]\n    b: *m79\n",
            6,
            "the flow nests more than 64 levels deep",
        ),
        (HEAD + "context: {default: &d {<<: *d}}\n", 4, "contains itself through an alias"),
        (HEAD + "context: {default: &d {x: {<<: *d}}}\n", 4, "contains itself through an alias"),
    ],
    ids=[
        "values",
        "text",
        "merges",
        "lists",
        "mappings",
        "block",
        "alias-depth",
        "merge-depth",
        "merge-self",
        "merge-cycle",
    ],
)
def test_a_flow_past_a_limit_is_refused_quickly_where_it_crosses(
    load_problems: LoadProblems, text: str, line: int, message: str
) -> None:
    start = time.perf_counter()
    [problem] = load_problems(text)
    assert time.perf_counter() - start < 10
    assert message in problem.message, problem.render()
    assert (problem.path, problem.line) == ("flow.yaml", line), problem.render()
    assert problem.col > 0 and problem.hint


def test_the_limits_are_bounds_not_bans(flow_file: Path, probe_catalog: Catalog) -> None:
    """64 levels, and aliases that stay within the limits, load as YAML means them."""
    flow_file.write_text(_nested(60) + "    y: &y [1, 2]\n    z: [*y, *y]\n", encoding="utf-8")
    doc = load_flow("flow.yaml", probe_catalog)
    value: Any = doc.data["context"]["default"]["x"]
    for _ in range(60):
        value = value[0]
    assert value == 1
    assert doc.data["context"]["default"]["z"] == [[1, 2], [1, 2]]
    assert doc.where("context", "default", "z", 1) == (8, 13)  # the alias, not its anchor


def test_an_endless_file_is_read_one_byte_past_the_limit(pype: Any) -> None:
    start = time.perf_counter()
    result = pype("validate", "/dev/zero")
    assert time.perf_counter() - start < 60
    assert result.code == 2, result.output
    assert result.err.startswith(
        "/dev/zero:1:10485761: the file is larger than 10 MiB, the limit for a flow\n"
    )
    assert "Traceback" not in result.output


def test_the_size_limit_counts_bytes_and_locates_the_first_one_over(
    flow_file: Path, probe_catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = HEAD + "# " + "x" * 30 + "\n"
    monkeypatch.setattr(load_module, "MAX_FILE_BYTES", len(text.encode()))
    flow_file.write_text(text, encoding="utf-8")
    assert load_flow("flow.yaml", probe_catalog).data["flow"]["name"] == "limits"
    flow_file.write_text(text + "é", encoding="utf-8")
    with pytest.raises(FlowInvalid) as info:
        load_flow("flow.yaml", probe_catalog)
    [problem] = info.value.problems
    assert (problem.line, problem.col) == (5, 1)
    assert problem.message.startswith("the file is larger than")


@pytest.mark.parametrize(
    "make",
    [
        lambda n: (
            "flow: {name: many}\nmodules:\n  - {id: a, name: log_row}\n"
            + "".join(f"x{i}: 1\n" for i in range(n))
        ),
        lambda n: (
            "flow: {name: many}\nmodules:\n  - id: a\n    name: log_row\n    configs:\n"
            "      optional:\n" + "".join(f"        k{i}: 1\n" for i in range(n))
        ),
    ],
    ids=["unknown-top-level-keys", "unknown-config-keys"],
)
def test_validation_work_grows_linearly_with_the_number_of_problems(
    flow_file: Path, probe_catalog: Catalog, make: Callable[[int], str]
) -> None:
    """50,000 unknown keys took minutes: each problem was compared with every earlier one."""
    seconds = []
    for n in (2_500, 10_000):
        flow_file.write_text(make(n), encoding="utf-8")
        start = time.perf_counter()
        with pytest.raises(FlowInvalid) as info:
            load_flow("flow.yaml", probe_catalog)
        seconds.append(time.perf_counter() - start)
        lines = sorted(p.line for p in info.value.problems)
        assert len(lines) == n and len(set(lines)) == n  # each at its own line
    assert seconds[1] < 8 * seconds[0] + 0.5, seconds  # linear: 4x; quadratic: 16x
