"""Parsing and whitelisting of the expression language (``expressions`` evaluates the result).

Flows are YAML that anyone may edit, so a condition must never reach ``eval``: the text is parsed
with ``ast`` (mode ``eval``) and every node is checked against a whitelist; anything else is
refused with a message naming the construct, e.g. ``attribute access is not allowed: x.y``.
Calls ``name(arg, ...)`` of registered functions are allowed, checked by ``calls`` (the name,
the arguments, literal parameters); a bare name is always a column. ``rewrite`` first turns
`back ticks` and ``& | ~`` into Python. The text is bounded (100,000 characters, 100 levels,
2,000 operations, calls included; 4,096-bit integer literals) so nothing after the parser
(checker, evaluator, messages) can recurse, grow or loop without end.
"""

from __future__ import annotations

import ast
import functools
import operator
from collections.abc import Callable, Mapping
from typing import Any

from pypeline.expressions import calls
from pypeline.expressions.errors import ExpressionError, quoted
from pypeline.expressions.limits import BINOPS, MAX_INT_BITS
from pypeline.expressions.rewrite import rewrite
from pypeline.expressions.tree import NAMED_CONSTANTS, is_null, literal, literal_value, show
from pypeline.sdk.functions import ExpressionFunction

Catalog = Callable[[], Mapping[str, ExpressionFunction]]  # asked only if the text has a call

SYNTAX_HELP = """\
Expression language: column names (`back ticks` for names with spaces or symbols), numbers,
'strings', True/False (or true/false), None/null; comparisons == != < <= > >= (chainable),
in / not in a literal list ([1, 2]), is None / is not None; and, or, not (also &, |, ~, with
the same low precedence); + - * / // % ** and unary -; parentheses; calls of the registered
functions, e.g. lower(strip(name)), to_number(price) > 100 (pype show-functions lists them):
arguments in order, a name alone is always a column (today is a column, today() the date).
Nothing else: no methods (replace(price, '$', ''), not price.replace(...)), attribute access,
subscripts, lambdas or comprehensions. Every comparison with a null is false (!= too); test
nulls with `x is None` or `x == null`."""

COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt,
    ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge,
}  # fmt: skip
_REFUSED: dict[type[ast.AST], str] = {
    ast.Attribute: "attribute access is", ast.Subscript: "subscripts are",
    ast.Lambda: "lambda functions are", ast.ListComp: "list comprehensions are",
    ast.SetComp: "set comprehensions are", ast.DictComp: "dict comprehensions are",
    ast.GeneratorExp: "generator expressions are", ast.JoinedStr: "f-strings are",
    ast.NamedExpr: "assignment expressions (:=) are", ast.Dict: "dicts are",
    ast.IfExp: "conditional expressions (a if c else b) are", ast.Starred: "starred values are",
    ast.List: "lists outside 'in [...]' are", ast.Tuple: "tuples outside 'in (...)' are",
    ast.Set: "sets outside 'in {...}' are", ast.Slice: "slices are", ast.Await: "await is",
}  # fmt: skip
_SYMBOLS = {ast.BitXor: "^", ast.LShift: "<<", ast.RShift: ">>", ast.MatMult: "@"}
MAX_TEXT, MAX_DEPTH, MAX_OPERATIONS = 100_000, 100, 2_000


def parse(
    text: str, catalog: Catalog
) -> tuple[ast.Expression, dict[str, str], frozenset[str], dict[str, ExpressionFunction]]:
    """Parse and check ``text``: the tree, placeholder → column name, the columns used and the
    functions called (looked up in ``catalog()``)."""
    if not text.strip():
        raise ExpressionError("empty expression")
    if len(text) > MAX_TEXT:
        raise ExpressionError(
            f"expression is too long ({len(text):,} characters, limit {MAX_TEXT:,})"
        )
    source, aliases = rewrite(text)
    try:  # parentheses let a YAML block span lines; '\n' keeps a trailing comment harmless
        tree = ast.parse(f"({source}\n)", mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"invalid expression {quoted(text)}: {exc.msg}") from None
    except ValueError as exc:  # a NUL character (Python 3.11)
        raise ExpressionError(f"invalid expression {quoted(text)}: {exc}") from None
    except (RecursionError, MemoryError):
        raise ExpressionError(_TOO_DEEP) from None
    _check_size(tree.body)
    columns: set[str] = set()
    called: dict[str, ExpressionFunction] = {}
    _check(tree.body, aliases, columns, _Lookup(catalog, called))
    return tree, aliases, frozenset(columns), called


class _Lookup:
    """The catalog, asked on the first call only, and the functions found so far."""

    def __init__(self, catalog: Catalog, called: dict[str, ExpressionFunction]) -> None:
        self.catalog, self.called = catalog, called

    def check(self, node: ast.Call, aliases: dict[str, str]) -> None:
        if isinstance(node.func, ast.Attribute):
            name, shown = node.func.attr, show(node.func, aliases)
            hint = "" if name.startswith("_") else f"; functions take the value first: {name}("
            raise ExpressionError(
                f"methods are not allowed: {shown}(...)"
                + (f"{hint}{show(node.func.value, aliases)}, ...)" if hint else "")
            )
        if not isinstance(node.func, ast.Name) or node.func.id in aliases:
            raise _refused("calling anything but a function's name is", node, aliases)
        name = node.func.id
        if name.startswith("__"):
            raise ExpressionError(f"names starting with '__' are not allowed: {name}")
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            raise _refused("arguments go in order, without names or '*':", node, aliases, "")
        literals = [literal(a) for a in node.args]
        values = [
            literal_value(a) if lit else None for a, lit in zip(node.args, literals, strict=True)
        ]
        self.called[name] = calls.check(name, literals, self.catalog(), values)


_TOO_DEEP = f"expression is too deeply nested (limit {MAX_DEPTH} levels)"


def _check_size(root: ast.expr) -> None:
    """Refuse more than ``MAX_DEPTH`` levels or ``MAX_OPERATIONS`` operations (each one a pass
    over the rows), without recursing: the tree may be deep."""
    stack, operations = [(root, 1)], 0
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ExpressionError(_TOO_DEEP)
        if isinstance(node, ast.BoolOp):
            operations += len(node.values) - 1
        elif isinstance(node, ast.Compare):
            operations += len(node.ops)
        elif isinstance(node, ast.BinOp | ast.UnaryOp | ast.Call):
            operations += 1
        stack.extend((c, depth + 1) for c in ast.iter_child_nodes(node) if isinstance(c, ast.expr))
    if operations > MAX_OPERATIONS:
        raise ExpressionError(
            f"expression has too many operations ({operations:,}, limit {MAX_OPERATIONS:,}); "
            "a long list of alternatives is one 'in [...]'"
        )


def _check(node: ast.AST, aliases: dict[str, str], columns: set[str], lookup: _Lookup) -> None:
    """Accept only whitelisted nodes; collect the columns referenced and the functions called."""
    walk = functools.partial(_check, aliases=aliases, columns=columns, lookup=lookup)
    if isinstance(node, ast.Constant):
        if node.value is not None and not isinstance(node.value, bool | int | float | str):
            raise _refused(f"{type(node.value).__name__} literals are", node, aliases)
        if isinstance(node.value, int) and node.value.bit_length() > MAX_INT_BITS:
            raise ExpressionError(
                f"number too large: an integer literal of {node.value.bit_length():,} bits "
                f"(limit {MAX_INT_BITS:,} bits)"
            )
    elif isinstance(node, ast.Name):
        if node.id in aliases:
            columns.add(aliases[node.id])
        elif node.id.startswith("__"):
            raise ExpressionError(f"names starting with '__' are not allowed: {node.id}")
        elif node.id not in NAMED_CONSTANTS:
            columns.add(node.id)
    elif isinstance(node, ast.BoolOp):
        for value in node.values:
            walk(value)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not | ast.USub | ast.UAdd):
        walk(node.operand)
    elif isinstance(node, ast.BinOp) and type(node.op) in BINOPS:
        walk(node.left)
        walk(node.right)
    elif isinstance(node, ast.BinOp):
        symbol = _SYMBOLS.get(type(node.op), type(node.op).__name__)
        raise _refused(f"operator '{symbol}' is", node, aliases)
    elif isinstance(node, ast.Compare):
        walk(node.left)
        for op, right in zip(node.ops, node.comparators, strict=True):
            if isinstance(op, ast.In | ast.NotIn):
                if not isinstance(right, ast.List | ast.Tuple | ast.Set) or not all(
                    literal(e) for e in right.elts
                ):
                    raise _refused("'in' needs a literal list such as [1, 2]:", right, aliases, "")
                for element in right.elts:  # literals, bounded like the others
                    walk(element)
            elif isinstance(op, ast.Is | ast.IsNot) and not is_null(right):
                raise _refused("'is' only tests for null (use == for values):", node, aliases, "")
            else:
                walk(right)
    elif isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name):  # a lambda, a subscript...: refused for what
            func = node.func  # it is; a method's value first
            walk(func.value if isinstance(func, ast.Attribute) else func)
        lookup.check(node, aliases)
        for argument in node.args:
            walk(argument)
    else:
        phrase = _REFUSED.get(type(node), f"{type(node).__name__} is")
        raise _refused(phrase, node, aliases)


def _refused(
    phrase: str, node: ast.AST, aliases: dict[str, str], verb: str = "not allowed:"
) -> ExpressionError:
    return ExpressionError(f"{phrase} {verb} {show(node, aliases)}".replace("  ", " "))
