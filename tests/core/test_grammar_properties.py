"""Property tests of the connection grammar (SPEC §4): a flow's connections are untrusted.

Valid connections, written out from generated fields in every spelling SPEC §4 allows (spaces,
``Last`` in any case, the type bare or in brackets, conditions with quotes, parentheses and
filters, the mapping form), parse back into exactly those fields. Mangled ones (cut, spliced,
random text, wrong types in the mapping form) either parse or raise ``GrammarError`` with a
one-line message; through the plan phase each becomes a problem located at its connection.
Every example stays well under a second, long inputs included (no regex backtracking).
"""

from __future__ import annotations

import time
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from pypeline.build.load.document import FlowDoc
from pypeline.build.plan.connections import parse_connections
from pypeline.build.plan.grammar import GrammarError, RawControl, parse_control, parse_data
from pypeline.shared.errors import FlowError

FAST = settings(max_examples=150, deadline=None)
SECONDS = 1.0
IDS = st.from_regex(r"\A[A-Za-z][A-Za-z0-9_]{0,12}\Z")
PORTS = st.from_regex(r"\A[a-z][a-z0-9_]{0,8}\Z")
SPACE = st.sampled_from(["", " ", "  ", "\t"])
GAP = st.sampled_from([" ", "  ", "\t", " \t "])
TYPES = st.sampled_from(["", "iterate", "start", "error", "ITERATE", "Start", "Error"])
ORDERS = st.one_of(st.integers(1, 10**6), st.sampled_from(["Last", "last", "LAST"]))
# Conditions: expressions with operators, calls, filters, and quoted text holding ( ) and |.
ATOMS = st.one_of(
    IDS,
    st.integers(0, 999).map(str),
    st.from_regex(r"\A'[a-z()| ]{0,6}'\Z"),
    st.from_regex(r'\A"[a-z()| ]{0,6}"\Z'),
)
CONDITIONS = st.recursive(
    ATOMS,
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from([" > ", " == ", " and ", " or "]), inner).map("".join),
        inner.map(lambda x: f"({x})"),
        inner.map(lambda x: f"{{{{ {x} }}}}"),
        inner.map(lambda x: f"{x} | length"),
        st.tuples(IDS, inner).map(lambda c: f"{c[0]}({c[1]})"),
    ),
    max_leaves=6,
)
MANGLED_TEXT = st.one_of(
    st.text(max_size=200),
    st.text(alphabet="ab. -()|[]'\"{}\n\t0123456789", max_size=200),
    st.text(alphabet="a(", min_size=1000, max_size=5000),  # long and nested: no backtracking
    st.text(alphabet="a ", min_size=1000, max_size=5000),
)
ANY_VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=20),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


def _timed(fn: Any, *args: Any) -> Any:
    start = time.perf_counter()
    try:
        return fn(*args)
    finally:
        assert time.perf_counter() - start < SECONDS


@FAST
@given(IDS, PORTS, IDS, PORTS, SPACE, SPACE, SPACE, SPACE)
def test_a_valid_data_connection_parses_into_its_fields(
    src: str, out: str, dst: str, inp: str, s1: str, s2: str, s3: str, s4: str
) -> None:
    text = f"{s1}{src}.{out}{s2}-{s3}{dst}.{inp}{s4}"
    assert _timed(parse_data, text) == (src, out, dst, inp)


@FAST
@given(IDS, ORDERS, st.none() | CONDITIONS, TYPES, st.booleans(), IDS, GAP, SPACE)
def test_a_valid_control_string_parses_into_its_fields(
    src: str,
    order: int | str,
    condition: str | None,
    kind: str,
    brackets: bool,
    dst: str,
    gap: str,
    space: str,
) -> None:
    written_type = (f"[{kind}]" if brackets else kind) + gap if kind else ""
    valve = f"{order}|{condition}" if condition is not None else f"{space}{order}{space}"
    text = f"{space}{src}{space}({valve}){gap}{written_type}{dst}{space}"
    expected_order = "Last" if isinstance(order, str) else order
    expected = RawControl(src, dst, expected_order, condition or None, kind.lower() or "normal", 1)
    assert _timed(parse_control, text) == expected


@FAST
@given(IDS, IDS, ORDERS, st.none() | CONDITIONS, TYPES, st.integers(1, 64))
def test_a_valid_control_mapping_parses_into_its_fields(
    src: str, dst: str, order: int | str, condition: str | None, kind: str, parallel: int
) -> None:
    item = {"from": src, "to": dst, "order": order, "type": kind or None, "parallel": parallel}
    if condition is not None:
        item["condition"] = condition
    expected_order = "Last" if isinstance(order, str) else order
    expected = RawControl(src, dst, expected_order, condition, kind.lower() or "normal", parallel)
    assert _timed(parse_control, item) == expected


def _mangle(text: str, cut: int, insert: str) -> str:
    at = cut % (len(text) + 1)
    return text[:at] + insert + text[at + 1 :]


@FAST
@given(
    st.one_of(
        MANGLED_TEXT,
        st.tuples(
            st.sampled_from(["a.data - b.input", "a (1|x > (2)) iterate b", "a (Last) b"]),
            st.integers(0, 40),
            st.text(max_size=3),
        ).map(lambda c: _mangle(*c)),
        ANY_VALUE,
        st.dictionaries(
            st.sampled_from(["from", "to", "order", "type", "parallel", "condition"]),
            ANY_VALUE,
            max_size=6,
        ),
    )
)
def test_a_mangled_connection_parses_or_is_a_one_line_grammar_error(item: Any) -> None:
    for parse in (parse_data, parse_control):
        try:
            result = _timed(parse, item)
        except GrammarError as exc:
            assert "\n" not in str(exc) and len(str(exc)) < 400, str(exc)
        else:
            assert isinstance(result, (tuple, RawControl))


@FAST
@given(
    st.lists(st.one_of(MANGLED_TEXT, ANY_VALUE), max_size=5),
    st.lists(
        st.one_of(MANGLED_TEXT, CONDITIONS.map(lambda c: f"a (1|{c}) b"), ANY_VALUE), max_size=5
    ),
)
def test_through_the_plan_phase_every_problem_is_located_at_its_connection(
    data: list[Any], control: list[Any]
) -> None:
    marks = {
        ("connections", kind, i): (10 + i, 7) for kind in ("data", "control") for i in range(5)
    }
    doc = FlowDoc("flow.yaml", "", "", {"connections": {"data": data, "control": control}}, marks)
    problems: list[FlowError] = []
    edges, raw = _timed(parse_connections, doc, ["a", "b"], problems)
    assert len(edges) + len(raw) + len(problems) >= len(data) + len(control)  # none lost
    for problem in problems:
        assert problem.path == "flow.yaml" and problem.line >= 10 and problem.col == 7
        assert "\n" not in problem.message and len(problem.message) < 400, problem.message
