"""Property tests of the YAML loader and validation: a flow file is untrusted input.

For generated files (random bytes; soups of YAML syntax with anchors, aliases, merge keys,
tabs, tags and document markers; flows dumped from generated data with a wrong value at a
random key, duplicated lines, tabs and aliases; nesting of any depth in flow or block style;
alias bombs of any shape), ``validate_flow`` either returns a plan or raises the project's own
errors (``FlowInvalid``, ``UsageError``), every problem located in the file (line and column
≥ 1) on one line, and each example stays under 2 s (an alarm stops a hang) and 200 MB.
"""

from __future__ import annotations

import resource
import signal
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pypeline.build.build import validate_flow
from pypeline.plugins.catalog import Catalog, build_catalog
from pypeline.shared.errors import FlowInvalid, UsageError

SECONDS, BYTES = 2.0, 200_000_000
CHECK = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SYNTAX = "{ } [ ] : , # ? | > ~ ' \" --- ... &a *a &b *b <<: !!int !!bool !!timestamp !!binary"
WORDS = "flow modules id name configs required optional connections data control context settings"
ODD = "log_row fixed_rows rows on yes null 2024-13-45 1:2:3 0x !!python/name:os %YAML é"
TOKENS = [*SYNTAX.split(), *WORDS.split(), *ODD.split(), " ", "  ", "\n", "\n  ", "\t", ": "]
TOKENS += ["- ", "9" * 50, "\x00", "\ufeff", "a.data - b.input", "a (1|) iterate b"]
LOOKALIKES = "{{context.x}} {%if%} a.items-b.input a(0|)b Last log_row 2024-01-01 on"
TOP = ["flow", "settings", "context", "modules", "connections"]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False),
    st.text(max_size=12),
    st.sampled_from(LOOKALIKES.split()),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
BASE: dict[str, Any] = {
    "flow": {"name": "props"},
    "settings": {"timeout": 10, "retries": 1},
    "context": {"default": {"x": 1}},
    "modules": [
        {"id": "a", "name": "fixed_rows", "configs": {"required": {"rows": [{"v": 1}]}}},
        {"id": "b", "name": "log_row", "configs": {"optional": {"limit": 5}}},
    ],
    "connections": {"data": ["a.data - b.input"], "control": []},
}
KEYS = " flow flow.name settings settings.timeout context context.default modules modules.0"
KEYS += " modules.0.id modules.0.name modules.0.configs modules.0.configs.required connections"
KEYS += " modules.1.configs.optional.limit connections.data connections.data.0 connections.control"
PATHS = [
    tuple(int(k) if k.isdigit() else k for k in key.split(".") if k) for key in KEYS.split(" ")
]


@pytest.fixture(scope="module")
def place(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Catalog]:
    return tmp_path_factory.mktemp("props") / "flow.yaml", build_catalog()


class Overtime(BaseException):
    """Raised by the alarm: a ``BaseException``, so no ``except Exception`` can swallow it."""


def _overtime(signum: int, frame: Any) -> None:
    raise Overtime(f"the example ran past {SECONDS} s")


def _check(place: tuple[Path, Catalog], raw: bytes) -> None:
    """Validate ``raw``: only the project's errors escape, located, in time and memory."""
    path, catalog = place
    path.write_bytes(raw)
    before, start = _rss(), time.perf_counter()
    previous = signal.signal(signal.SIGALRM, _overtime)
    signal.setitimer(signal.ITIMER_REAL, SECONDS)  # a hang fails the example, not the suite
    try:
        validate_flow(path, catalog)
    except FlowInvalid as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.path == str(path) and problem.line >= 1 and problem.col >= 1
            assert "\n" not in problem.message, problem.message
    except UsageError as exc:
        assert "\n" not in str(exc)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert time.perf_counter() - start < SECONDS
    assert _rss() - before < BYTES


def _rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _put(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    """``data`` with ``value`` at ``path`` (the whole document for the empty path)."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(data, dict) and head in data:
        return {**data, head: _put(data[head], rest, value)}
    if isinstance(data, list) and isinstance(head, int) and head < len(data):
        return [*data[:head], _put(data[head], rest, value), *data[head + 1 :]]
    return data


@CHECK
@given(st.binary(max_size=3000))
def test_random_bytes(place: tuple[Path, Catalog], raw: bytes) -> None:
    _check(place, raw)


@CHECK
@given(st.lists(st.sampled_from(TOKENS), max_size=120))
def test_soups_of_yaml_syntax(place: tuple[Path, Catalog], tokens: list[str]) -> None:
    _check(place, "".join(tokens).encode("utf-8", "surrogatepass"))


@CHECK
@given(st.sampled_from(PATHS), VALUES, st.booleans(), st.integers(0, 60), st.integers(0, 3))
def test_flows_with_a_wrong_value_at_a_key(
    place: tuple[Path, Catalog],
    at: tuple[Any, ...],
    value: Any,
    share: bool,
    line: int,
    edit: int,
) -> None:
    data = _put(BASE, at, value)
    if share and isinstance(data, dict):  # the same object twice: the dumper writes an alias
        data = {**data, "context": {"default": {"a": value, "b": value}}}
    lines = yaml.safe_dump(data, sort_keys=False, allow_unicode=True).splitlines()
    i = line % max(len(lines), 1)
    if lines and edit == 1:
        lines.insert(i, lines[i])  # a duplicated key or item
    elif lines and edit == 2:
        lines[i] = lines[i].replace("  ", "\t", 1)  # a tab where YAML wants spaces
    elif lines and edit == 3:
        lines[i] = lines[i][: len(lines[i]) // 2]  # a line cut short
    _check(place, "\n".join(lines).encode())


@CHECK
@given(
    st.one_of(st.integers(1, 100), st.integers(300, 3000)),
    st.sampled_from(["[]", "{}", "block-list", "block-map"]),
    st.sampled_from(TOP),
)
def test_any_depth_in_any_style(
    place: tuple[Path, Catalog], depth: int, style: str, key: str
) -> None:
    if style == "[]":
        value = "[" * depth + "1" + "]" * depth
    elif style == "{}":
        value = "{a: " * depth + "1" + "}" * depth
    elif style == "block-list":
        value = "".join("\n" + "  " * (i + 1) + "-" for i in range(depth)) + " 1"
    else:
        value = "".join("\n" + "  " * (i + 1) + "k:" for i in range(depth)) + " 1"
    text = (
        "flow: {name: deep}\nmodules: [{id: a, name: sleep, configs: {required: {seconds: 0}}}]\n"
    )
    _check(place, (text.replace(f"{key}:", "zz:") + f"{key}: {value}\n").encode())


@CHECK
@given(st.integers(1, 12), st.integers(1, 40), st.integers(0, 3000), st.booleans())
def test_alias_bombs_of_any_shape(
    place: tuple[Path, Catalog], levels: int, width: int, leaf: int, merge: bool
) -> None:
    lines = [
        "flow: {name: bomb}",
        "modules: [{id: a, name: sleep, configs: {required: {seconds: 0}}}]",
        "context:",
        "  default:",
        f"    l0: &l0 {{k: '{'x' * leaf}'}}",
    ]
    for i in range(1, levels):
        refs = ", ".join([f"*l{i - 1}"] * width)
        lines.append(f"    l{i}: &l{i} " + (f"{{<<: [{refs}], k{i}: 1}}" if merge else f"[{refs}]"))
    _check(place, ("\n".join(lines) + "\n").encode())
