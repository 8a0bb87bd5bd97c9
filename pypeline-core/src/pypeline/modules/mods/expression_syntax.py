"""Parsing and whitelisting of the expression language (``expressions`` evaluates the result).

Flows are YAML that anyone may edit, so a condition must never reach ``eval``: the text is parsed
with ``ast`` (mode ``eval``) and every node is checked against a whitelist; anything else is
refused with a message naming the construct, e.g. ``function calls are not allowed: open(...)``.
Two bits of pandas-query syntax are rewritten first, outside string literals: `back ticked`
column names become placeholder identifiers, and ``& | ~`` become ``and or not`` so they get the
low precedence users expect (``age > 18 & vip`` is not Python's ``age > (18 & vip)``).
"""

from __future__ import annotations

import ast
import functools
import operator
from collections.abc import Callable
from typing import Any

SYNTAX_HELP = """\
Expression language: column names (`back ticks` for names with spaces or symbols), numbers,
'strings', True/False (or true/false), None/null; comparisons == != < <= > >= (chainable),
in / not in a literal list ([1, 2]), is None / is not None; and, or, not (also &, |, ~, with
the same low precedence); + - * / // % ** and unary -; parentheses. Nothing else: no function
calls, attribute access, subscripts, lambdas or comprehensions. Every comparison with a null is
false (!= too); test nulls with `x is None` or `x == null`."""

BINOPS: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}  # fmt: skip
COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt,
    ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge,
}  # fmt: skip
NAMED_CONSTANTS: dict[str, Any] = {"null": None, "true": True, "false": False}
_LOGICAL = {"&": " and ", "|": " or ", "~": " not "}
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
_MAX_TEXT, _MAX_INT_BITS, _MAX_STR = 100_000, 4096, 100_000


class ExpressionError(ValueError):
    """An expression that is not allowed, does not parse or cannot be evaluated."""


def parse(text: str) -> tuple[ast.Expression, dict[str, str], frozenset[str]]:
    """Parse and check ``text``: the tree, placeholder → column name, and the columns used."""
    if not text.strip():
        raise ExpressionError("empty expression")
    if len(text) > _MAX_TEXT:
        raise ExpressionError(f"expression is too long ({len(text)} characters)")
    source, aliases = _preprocess(text)
    try:  # parentheses let a YAML block span lines; '\n' keeps a trailing comment harmless
        tree = ast.parse(f"({source}\n)", mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"invalid expression {text!r}: {exc.msg}") from None
    except (RecursionError, MemoryError):
        raise ExpressionError("expression is too deeply nested") from None
    columns: set[str] = set()
    _check(tree.body, aliases, columns)
    return tree, aliases, frozenset(columns)


def _preprocess(text: str) -> tuple[str, dict[str, str]]:
    """Outside string literals: `back ticked` names → placeholders; & | ~ → and or not."""
    prefix = "_col"
    while prefix in text:
        prefix += "_"
    out: list[str] = []
    aliases: dict[str, str] = {}
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in "'\"":
            end = _string_end(text, i)
            out.append(text[i:end])
            i = end
            continue
        if ch == "`":
            close = text.find("`", i + 1)
            if close <= i + 1:
                raise ExpressionError(f"unclosed or empty `column name` in {text!r}")
            name = text[i + 1 : close]
            alias = next((a for a, n in aliases.items() if n == name), f"{prefix}{len(aliases)}")
            aliases[alias] = name
            out.append(f" {alias} ")
            i = close + 1
            continue
        out.append(_LOGICAL.get(ch, ch))
        i += 1
    return "".join(out), aliases


def _string_end(text: str, start: int) -> int:
    quote = text[start] * 3 if text.startswith(text[start] * 3, start) else text[start]
    i = start + len(quote)
    while i < len(text):
        if text[i] == "\\":
            i += 2
        elif text.startswith(quote, i):
            return i + len(quote)
        else:
            i += 1
    return len(text)  # unterminated: ast reports it


def _check(node: ast.AST, aliases: dict[str, str], columns: set[str]) -> None:
    """Accept only whitelisted nodes; collect the columns that are referenced."""
    walk = functools.partial(_check, aliases=aliases, columns=columns)
    if isinstance(node, ast.Constant):
        if node.value is not None and not isinstance(node.value, bool | int | float | str):
            raise _refused(f"{type(node.value).__name__} literals are", node, aliases)
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
    text = ast.unparse(node)
    for alias, name in sorted(aliases.items(), key=lambda item: -len(item[0])):
        text = text.replace(alias, f"`{name}`")
    return text if len(text) <= 80 else text[:77] + "..."


def arithmetic(op: ast.operator, left: Any, right: Any) -> Any:
    """Apply ``op``, refusing constant arithmetic that would hang a run (``9 ** 9 ** 9``)."""
    if isinstance(op, ast.Pow) and isinstance(left, int) and isinstance(right, int):
        if right > 0 and left.bit_length() * right > _MAX_INT_BITS:
            raise ExpressionError(f"number too large: {left} ** {right}")
    elif isinstance(op, ast.Mult) and {type(left), type(right)} == {str, int}:
        text, times = (left, right) if isinstance(left, str) else (right, left)
        if len(text) * times > _MAX_STR:
            raise ExpressionError(f"text too long: {times} repetitions of {text[:20]!r}")
    result = BINOPS[type(op)](left, right)
    if isinstance(result, int) and result.bit_length() > _MAX_INT_BITS:
        raise ExpressionError(f"number too large: {str(result)[:20]}...")
    return result
