"""Parsing and whitelisting of the expression language (``expressions`` evaluates the result).

Flows are YAML that anyone may edit, so a condition must never reach ``eval``: the text is parsed
with ``ast`` (mode ``eval``) and every node is checked against a whitelist; anything else is
refused with a message naming the construct, e.g. ``function calls are not allowed: open(...)``.
``rewrite`` first turns `back ticks` and ``& | ~`` into Python. The text is bounded
(100,000 characters, 100 levels, 2,000 operations, 4,096-bit integer literals) so nothing after
the parser (checker, evaluator, messages) can recurse, grow or loop without end.
"""

from __future__ import annotations

import ast
import functools
import operator
from collections.abc import Callable
from typing import Any

from pypeline.expressions.errors import ExpressionError, quoted
from pypeline.expressions.limits import BINOPS, MAX_INT_BITS
from pypeline.expressions.rewrite import PLACEHOLDER, rewrite

SYNTAX_HELP = """\
Expression language: column names (`back ticks` for names with spaces or symbols), numbers,
'strings', True/False (or true/false), None/null; comparisons == != < <= > >= (chainable),
in / not in a literal list ([1, 2]), is None / is not None; and, or, not (also &, |, ~, with
the same low precedence); + - * / // % ** and unary -; parentheses. Nothing else: no function
calls, attribute access, subscripts, lambdas or comprehensions. Every comparison with a null is
false (!= too); test nulls with `x is None` or `x == null`."""

COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt,
    ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge,
}  # fmt: skip
NAMED_CONSTANTS: dict[str, Any] = {"null": None, "true": True, "false": False}
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


def parse(text: str) -> tuple[ast.Expression, dict[str, str], frozenset[str]]:
    """Parse and check ``text``: the tree, placeholder → column name, and the columns used."""
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
    _check(tree.body, aliases, columns)
    return tree, aliases, frozenset(columns)


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
        elif isinstance(node, ast.BinOp | ast.UnaryOp):
            operations += 1
        stack.extend((c, depth + 1) for c in ast.iter_child_nodes(node) if isinstance(c, ast.expr))
    if operations > MAX_OPERATIONS:
        raise ExpressionError(
            f"expression has too many operations ({operations:,}, limit {MAX_OPERATIONS:,}); "
            "a long list of alternatives is one 'in [...]'"
        )


def constant_parts(root: ast.expr, aliases: dict[str, str]) -> list[ast.expr]:
    """The largest operations of a checked tree that read no column (``2 ** 10``, ``'a' * 3``),
    found in one pass; ``compile_expression`` evaluates them, so the build refuses them."""
    parts: list[ast.expr] = []
    if not _reads_column(root, aliases, parts) and _is_operation(root):
        parts.append(root)
    return parts


def _reads_column(node: ast.expr, aliases: dict[str, str], parts: list[ast.expr]) -> bool:
    if isinstance(node, ast.Name):
        return node.id in aliases or node.id not in NAMED_CONSTANTS
    children = [c for c in ast.iter_child_nodes(node) if isinstance(c, ast.expr)]
    reads = [_reads_column(c, aliases, parts) for c in children]
    if any(reads):
        parts.extend(c for c, r in zip(children, reads, strict=True) if not r and _is_operation(c))
    return any(reads)


def _is_operation(node: ast.expr) -> bool:
    return isinstance(node, ast.BinOp | ast.UnaryOp | ast.BoolOp | ast.Compare)


def _check(node: ast.AST, aliases: dict[str, str], columns: set[str]) -> None:
    """Accept only whitelisted nodes; collect the columns that are referenced."""
    walk = functools.partial(_check, aliases=aliases, columns=columns)
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
                    _literal(e) for e in right.elts
                ):
                    raise _refused("'in' needs a literal list such as [1, 2]:", right, aliases, "")
                for element in right.elts:  # literals, bounded like the others
                    walk(element)
            elif isinstance(op, ast.Is | ast.IsNot) and not _is_null(right):
                raise _refused("'is' only tests for null (use == for values):", node, aliases, "")
            else:
                walk(right)
    elif isinstance(node, ast.Call):
        raise ExpressionError(f"function calls are not allowed: {show(node.func, aliases)}(...)")
    else:
        phrase = _REFUSED.get(type(node), f"{type(node).__name__} is")
        raise _refused(phrase, node, aliases)


def _literal(node: ast.AST) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        node = node.operand
    if isinstance(node, ast.Name):
        return node.id in NAMED_CONSTANTS
    return isinstance(node, ast.Constant) and isinstance(node.value, bool | int | float | str)


def _is_null(node: ast.AST) -> bool:
    return (isinstance(node, ast.Constant) and node.value is None) or (
        isinstance(node, ast.Name) and node.id == "null"
    )


def _refused(
    phrase: str, node: ast.AST, aliases: dict[str, str], verb: str = "not allowed:"
) -> ExpressionError:
    return ExpressionError(f"{phrase} {verb} {show(node, aliases)}".replace("  ", " "))


def show(node: ast.AST, aliases: dict[str, str]) -> str:
    """The node as the user wrote it (back ticks restored), cut at 80 characters."""
    try:
        text = ast.unparse(node)
    except ValueError:  # an integer literal too long to print in decimal
        return "(an expression holding a huge number)"
    text = PLACEHOLDER.sub(lambda m: f"`{aliases[m[0]]}`" if m[0] in aliases else m[0], text)
    return text if len(text) <= 80 else text[:77] + "..."
