"""Generated expression texts for the property tests of the expression language.

``EXPRESSIONS`` mixes everything Python's grammar offers (every operator, attributes, calls,
subscripts, lambdas, comprehensions, dunder names, huge numbers, long and format strings), so
most are refused; ``ACCEPTED`` keeps to what the language allows, so evaluation is exercised;
``ESCAPES`` wraps an expression in the classic sandbox escapes. ``frame`` is the small table
they are evaluated on, hostile values included.
"""

from __future__ import annotations

import pandas as pd
from hypothesis import strategies as st

COLUMNS = ["age", "score", "name", "`first name`", "active", "big", "fmt", "items", "visits"]
NAMES = [*COLUMNS, "nope", "null", "None", "True", "false", "inf", "`a & b`", "_col0"]
DUNDERS = ["__class__", "__import__", "__builtins__", "__globals__", "__subclasses__", "__dict__"]
ATTRIBUTES = [*DUNDERS, "__bases__", "__mro__", "upper", "real", "str", "values"]
OPERATORS = ["+", "-", "*", "/", "//", "%", "**", "<<", ">>", "&", "|", "^", "@", "and", "or"]
OPERATORS += ["==", "!=", "<", "<=", ">", ">=", "in", "not in", "is", "is not"]
HUGE = ["10 ** 9", "9 ** 9 ** 9", "2 ** 4096", "0x" + "f" * 1100, "1" + "0" * 4400, "1e308"]
HUGE += ["100000000", "-2 ** 63", "2 ** 62", "1e999", "0.1 ** 400", "10 ** 300"]
FORMATS = ["", "5", "0300000000", ".300000000", "-1000000", "*", "(a)", "#x", "999999"]
ESCAPES = [
    "{x}.__class__",
    "().__class__.__bases__[0].__subclasses__()",
    "__import__('os').system('true')",
    "({x}).__class__.__mro__[1]",
    "getattr({x}, '__class__')",
    "__builtins__",
    "__class__ == {x}",
    "[c for c in ({x}).__class__.__bases__]",
    "(lambda: {x})()",
    "({x}).__dict__",
    "f'{{({x}).__class__}}'",
    "type({x})",
    "{x} + __import__('os').getpid()",
    "({x}).__reduce_ex__(2)",
    "{x} if __debug__ else {x}",
    "(__y := {x})",
]


def frame() -> pd.DataFrame:
    """Four rows of every kind of column, hostile values included."""
    return pd.DataFrame(
        {
            "age": [36, 15, 85, 0],
            "score": [0.1, None, 0.9, -1e308],
            "name": ["Ada", None, "a & b", "x" * 1000],
            "first name": ["Ada", "Kid", "", "O`Neil"],
            "active": [True, False, True, False],
            "big": pd.Series([2**4000, -3, 0, 10**30], dtype=object),
            "fmt": pd.Series(["%05d", "%0300000000d", "%s", None], dtype=object),
            "items": pd.Series([[1, 2], [], ["a"], None], dtype=object),
            "visits": pd.array([3, None, 100_000_000, 0], dtype="Int64"),
        }
    )


def _literals() -> st.SearchStrategy[str]:
    return st.one_of(
        st.integers(-(2**70), 2**70).map(str),
        st.floats(allow_nan=False).map(repr),
        st.text(max_size=8).map(repr),
        st.sampled_from(HUGE),
        st.integers(0, 3_000_000).map(lambda n: f"'ab' * {n}"),
        st.tuples(st.sampled_from(FORMATS), st.sampled_from("dsfrxc%")).map(
            lambda spec: f"'%{spec[0]}{spec[1]}'"
        ),
    )


def _extend(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    two = st.tuples(children, children)
    return st.one_of(
        st.tuples(children, st.sampled_from(OPERATORS), children).map(" ".join),
        st.tuples(st.sampled_from(["-", "+", "~", "not "]), children).map("".join),
        children.map(lambda x: f"({x})"),
        st.tuples(children, st.sampled_from(ATTRIBUTES)).map(".".join),
        st.tuples(children, st.lists(children, max_size=2)).map(
            lambda c: f"{c[0]}({', '.join(c[1])})"
        ),
        two.map(lambda c: f"{c[0]}[{c[1]}]"),
        two.map(lambda c: f"(lambda q: {c[0]})({c[1]})"),
        children.map(lambda x: f"[q for q in {x}]"),
        children.map(lambda x: f"{{q: q for q in {x}}}"),
        children.map(lambda x: f"(q for q in {x})"),
        st.tuples(children, children, children).map(lambda c: f"({c[0]} if {c[1]} else {c[2]})"),
        two.map(lambda c: f"[{c[0]}, {c[1]}]"),
        two.map(lambda c: f"{{{c[0]}: {c[1]}}}"),
        children.map(lambda x: f"(q := {x})"),
        children.map(lambda x: f"f'{{{x}}}'"),
        st.tuples(children, st.lists(_literals(), max_size=3)).map(
            lambda c: f"{c[0]} in [{', '.join(c[1])}]"
        ),
        st.tuples(st.sampled_from(FORMATS), children).map(lambda c: f"'%{c[0]}d' % {c[1]}"),
        children.map(lambda x: f"*{x}"),
        children.map(lambda x: f"(yield {x})"),
    )


def _extend_allowed(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Only what the language accepts, so that evaluation is exercised too."""
    return st.one_of(
        st.tuples(children, st.sampled_from(ALLOWED), children).map(" ".join),
        st.tuples(st.sampled_from(["-", "+", "~", "not "]), children).map("".join),
        children.map(lambda x: f"({x})"),
        st.tuples(children, st.lists(_literals(), max_size=3)).map(
            lambda c: f"{c[0]} in [{', '.join(c[1])}]"
        ),
        children.map(lambda x: f"{x} is None"),
        st.tuples(st.sampled_from(FORMATS), children).map(lambda c: f"'%{c[0]}d' % {c[1]}"),
    )


ALLOWED = ["+", "-", "*", "/", "//", "%", "**", "&", "|", "and", "or"]
ALLOWED += ["==", "!=", "<", "<=", ">", ">="]
ACCEPTED = st.recursive(
    st.one_of(st.sampled_from(COLUMNS), _literals()), _extend_allowed, max_leaves=8
)
EXPRESSIONS = st.recursive(
    st.one_of(st.sampled_from(NAMES), st.sampled_from(DUNDERS), _literals()),
    _extend,
    max_leaves=10,
)
