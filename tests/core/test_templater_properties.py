"""Property tests of the templater: a flow's templates are untrusted input.

For generated templates (random soups of Jinja2 syntax with unbalanced braces, and structured
ones: operators, huge numbers, filters with hostile arguments, methods, globals, loops, blocks,
undefined names), rendering a config and evaluating a condition either work or raise the
project's own error (``TemplateFailure`` naming the template, or ``SecretError`` naming the
reference) with a one-line message; and each example stays under 2 s and 200 MB.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pypeline.run.execution.globals import GlobalStore
from pypeline.run.templater.secrets import SecretError
from pypeline.run.templater.templater import TemplateFailure, Templater

SECONDS, BYTES = 2.0, 200_000_000
NAMES = ["context.n", "context.text", "context.items", "context.nested", "iter.item", "run.id"]
NAMES += ["src__row_count", "src__big", "nope", "missing__key", "loop", "none", "true"]
COUNTS = ["10**9", "300000000", "10**6", "9 ** 999", "2 ** 4096", "-1", "1e308", "1" + "0" * 30]
HUGE = [*COUNTS, "'%0300000000d'", "'{:>300000000}'", "'x' * 999999", "[1] * 100000"]
HUGE += ["range(10**5)", "context.text"]
LITERALS = ["0", "1", "7", "'a'", "'a\\nb'", "''", "[1, 2]", "{'k': 'v'}", "(1,)", "none", "3.5"]
OPERATORS = ["+", "-", "*", "/", "//", "%", "**", "~", "and", "or", "==", "<", "in", "is"]
GROWING = ["**", "*", "~", "+", "%"]
GROWING_FILTERS = ["center", "indent", "wordwrap", "batch", "slice", "replace", "format", "join"]
FILTERS = [*GROWING_FILTERS, "upper", "list", "sum", "map", "select", "unique", "sort", "first"]
FILTERS += ["reverse", "length"]
FILTERS += ["string", "int", "float", "tojson", "pprint", "urlencode", "truncate", "default"]
FILTERS += ["dictsort", "groupby", "items", "random", "trim", "title", "striptags", "e", "safe"]
FILTERS += ["attr", "filesizeformat", "round", "abs", "max", "xmlattr", "basename", "nope"]
GROWING_METHODS = ["center", "ljust", "zfill", "replace", "join", "format", "expandtabs"]
GROWING_METHODS += ["translate", "to_bytes"]
METHODS = [*GROWING_METHODS, "split", "items", "__class__", "mro", "upper", "count", "append"]
CALLS = ["range", "lipsum", "namespace", "dict", "cycler", "joiner", "secret", "each", "nope"]
SOUP = ["{{", "}}", "{%", "%}", "{#", "#}", "(", ")", "[", "]", "|", ",", " ", "~", "**", "'"]
SOUP += ["for x in", "endfor", "if", "endif", "set v =", "macro m()", "endmacro", "endset"]
SOUP += ["filter upper", "endfilter", "else", "raw", "endraw", ".format(", "range(", "."]
SOUP += [*NAMES, *HUGE, *LITERALS, *OPERATORS, *FILTERS]


def _extend(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    # Half the arguments are huge, half the filters and methods are those that can blow up:
    # widths, counts and exponents are what a hostile template plays with.
    counts = st.sampled_from(COUNTS)
    args = st.lists(st.one_of(counts, counts, children), min_size=1, max_size=2).map(", ".join)
    filters = st.one_of(st.sampled_from(GROWING_FILTERS), st.sampled_from(FILTERS))
    methods = st.one_of(st.sampled_from(GROWING_METHODS), st.sampled_from(METHODS))
    filtered = st.tuples(children, filters, args).map(lambda c: f"({c[0]}) | {c[1]}({c[2]})")
    called = st.tuples(children, methods, args).map(lambda c: f"({c[0]}).{c[1]}({c[2]})")
    return st.one_of(
        filtered,
        called,
        st.tuples(children, st.sampled_from(OPERATORS), children).map(" ".join),
        filtered,
        called,
        children.map(lambda x: f"({x})"),
        st.tuples(children, filters).map(lambda c: f"({c[0]}) | {c[1]}"),
        st.tuples(st.sampled_from(CALLS), args).map(lambda c: f"{c[0]}({c[1]})"),
        st.tuples(children, children).map(lambda c: f"{c[0]}[{c[1]}]"),
        st.tuples(children, children).map(lambda c: f"{c[0]}[{c[1]}:]"),
        st.tuples(children, children).map(lambda c: f"[{c[0]}, {c[1]}, {c[0]}]"),
        st.tuples(children, children).map(lambda c: f"{{{c[0]}: {c[1]}}}"),
        st.tuples(children, children, children).map(lambda c: f"{c[0]} if {c[1]} else {c[2]}"),
        st.tuples(children, st.sampled_from(GROWING), st.integers(2, 4)).map(_tower),
    )


def _tower(parts: tuple[str, str, int]) -> str:
    """``(((x ** x) ** x) ** x)``: the same value piled up, as a hostile template does."""
    value, operator, times = parts
    return "(" * times + f"({value})" + f" {operator} ({value}))" * times


EXPRESSIONS = st.recursive(
    st.one_of(st.sampled_from(HUGE), st.sampled_from([*NAMES, *LITERALS])), _extend, max_leaves=8
)
SHAPES = [
    "{{{{ {0} }}}}",
    "a {{{{ {0} }}}} b {{{{ {1} }}}}",
    "{{% for x in {0} %}}{{{{ {1} }}}}{{% endfor %}}",
    "{{% for x in {0} %}}{{% for y in {1} %}}{{{{ x }}}}{{% endfor %}}{{% endfor %}}",
    "{{% set v = {0} %}}{{% set v = v ~ v %}}{{{{ v }}}}{{{{ {1} }}}}",
    "{{% set ns = namespace(s={0}) %}}{{% for i in {1} %}}{{% set ns.s = ns.s ~ ns.s %}}"
    "{{% endfor %}}{{{{ ns.s | length }}}}",
    "{{% if {0} %}}{{{{ {1} }}}}{{% else %}}z{{% endif %}}",
    "{{% macro m(a) %}}{{{{ a }}}}{{{{ m(a) }}}}{{% endmacro %}}{{{{ m({0}) }}}}{{{{ {1} }}}}",
    "{{% set b %}}{{% for x in {0} %}}{{{{ {1} }}}}{{% endfor %}}{{% endset %}}{{{{ b }}}}",
    "{{% filter upper %}}{{{{ {0} }}}}{{% endfilter %}}{{{{ {1} }}}}",
]
TEMPLATES = st.one_of(
    st.tuples(st.sampled_from(SHAPES), EXPRESSIONS, EXPRESSIONS).map(lambda c: c[0].format(*c[1:])),
    st.lists(st.one_of(st.sampled_from(SOUP), st.text(max_size=4)), max_size=25).map("".join),
)
COMMON = settings(
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def make() -> Templater:
    store = GlobalStore()
    store.set("", "src", "row_count", 7)
    store.set("", "src", "big", 2**4000)
    context = {
        "n": 3,
        "text": "x" * 100_000,
        "items": list(range(1000)),
        "nested": {"a": [{"b": "c" * 1000}] * 10},
    }
    return Templater(
        context,
        {"id": "r1", "job": "j"},
        store.get,
        functions={"each": store.every},
        render_seconds=0.5,
    )


@pytest.fixture(scope="module")
def templater() -> Templater:
    """One templater for the module, warmed up (lazy imports are out of the bounds)."""
    templater = make()
    templater.render("{{ [1] | map('string') | join }}{% for x in range(2) %}{{ x }}{% endfor %}")
    return templater


def bounded(work: Callable[[], Any]) -> None:
    """``work()`` works or raises the project's own error, one line, within 2 s and 200 MB.

    Time is the thread's CPU time and memory the process's peak RSS over the example: on a
    loaded machine wall time says more about the neighbours than about the render, and
    tracemalloc would make every example several times slower.
    """
    before = _reset_peak_rss()
    started = time.thread_time()
    try:
        work()
    except (TemplateFailure, SecretError) as exc:
        message = str(exc)
        assert "\n" not in message and len(message) < 1000, "one readable line"
        assert message.startswith(("template ", "secret(", "bad secret reference ")), message
        assert not message.rstrip().endswith(":"), "the message says why"
        assert "MemoryError" not in message, "a limit should have stopped it first"
    finally:
        elapsed = time.thread_time() - started
        grown = _peak_rss() - before
        assert elapsed < SECONDS, f"took {elapsed:.1f} s"
        assert grown < BYTES, f"memory grew by {grown / 1e6:.0f} MB"


def _reset_peak_rss() -> int:
    """The RSS now, in bytes, with the kernel's peak mark reset to it (Linux's ``clear_refs``);
    elsewhere the process's peak so far, which catches an example only if it sets a record."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return _peak_rss()
    return _status_bytes("VmRSS")


def _peak_rss() -> int:
    try:
        return _status_bytes("VmHWM")
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _status_bytes(key: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) * 1024
    raise OSError(f"no {key} in /proc/self/status")


@settings(COMMON, max_examples=600)
@given(template=TEMPLATES)
def test_rendering_works_or_fails_with_the_projects_error(
    templater: Templater, template: str
) -> None:
    bounded(lambda: templater.render({"value": template, "list": [template]}))


@settings(COMMON, max_examples=400)
@given(expression=EXPRESSIONS)
def test_conditions_work_or_fail_with_the_projects_error(
    templater: Templater, expression: str
) -> None:
    bounded(lambda: templater.evaluate(expression))
