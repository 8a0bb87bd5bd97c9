"""Reading a checked tree: what its nodes mean and how to show them to the user.

Shared by ``syntax`` (the checks), ``calls`` (literal parameters), ``evaluator`` (the named
constants) and ``expressions`` (the constant parts evaluated at build time).
"""

from __future__ import annotations

import ast
from typing import Any

from pypeline.expressions.rewrite import PLACEHOLDER

NAMED_CONSTANTS: dict[str, Any] = {"null": None, "true": True, "false": False}


def constant_parts(root: ast.expr, aliases: dict[str, str]) -> list[ast.expr]:
    """The largest operations of a checked tree that read no column (``2 ** 10``, ``'a' * 3``,
    ``upper('a')``), found in one pass; ``compile_expression`` evaluates them, so the build
    refuses them. A call without arguments (``now()``) counts as reading one: with nothing to
    read, its value can only be the run's, so it is never evaluated at build time."""
    parts: list[ast.expr] = []
    if not _reads_column(root, aliases, parts) and _is_operation(root):
        parts.append(root)
    return parts


def _reads_column(node: ast.expr, aliases: dict[str, str], parts: list[ast.expr]) -> bool:
    if isinstance(node, ast.Name):
        return node.id in aliases or node.id not in NAMED_CONSTANTS
    if isinstance(node, ast.Call) and not node.args:
        return True
    children = (
        list(node.args)
        if isinstance(node, ast.Call)
        else [c for c in ast.iter_child_nodes(node) if isinstance(c, ast.expr)]
    )
    reads = [_reads_column(c, aliases, parts) for c in children]
    if any(reads):
        parts.extend(c for c, r in zip(children, reads, strict=True) if not r and _is_operation(c))
    return any(reads)


def _is_operation(node: ast.expr) -> bool:
    return isinstance(node, ast.BinOp | ast.UnaryOp | ast.BoolOp | ast.Compare | ast.Call)


def literal(node: ast.AST) -> bool:
    """A literal value: a number (signed), text, true/false or null."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        node = node.operand
    if isinstance(node, ast.Name):
        return node.id in NAMED_CONSTANTS
    return isinstance(node, ast.Constant) and isinstance(node.value, bool | int | float | str)


def literal_value(node: ast.AST) -> Any:
    """The value of a node ``literal`` accepts (``-3`` included)."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        value = literal_value(node.operand)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.Name):
        return NAMED_CONSTANTS[node.id]
    assert isinstance(node, ast.Constant)
    return node.value


def is_null(node: ast.AST) -> bool:
    return (isinstance(node, ast.Constant) and node.value is None) or (
        isinstance(node, ast.Name) and node.id == "null"
    )


def show(node: ast.AST, aliases: dict[str, str]) -> str:
    """The node as the user wrote it (back ticks restored), cut at 80 characters."""
    try:
        text = ast.unparse(node)
    except ValueError:  # an integer literal too long to print in decimal
        return "(an expression holding a huge number)"
    text = PLACEHOLDER.sub(lambda m: f"`{aliases[m[0]]}`" if m[0] in aliases else m[0], text)
    return text if len(text) <= 80 else text[:77] + "..."
