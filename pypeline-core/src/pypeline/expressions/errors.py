"""The one error type of the expression language, below every part of it (parse, limits, run).

``filter_mod`` and ``compute_mod`` catch this type alone and add their name and option; any
other exception escaping an expression would be a bug in the language, never a user's fault.
"""

from __future__ import annotations


class ExpressionError(ValueError):
    """An expression that is not allowed, does not parse, is too large or cannot be evaluated."""


def quoted(text: str, width: int = 80) -> str:
    """``text`` quoted for a message, cut so a 100,000-character expression stays one line."""
    shown = repr(text)
    return shown if len(shown) <= width else shown[: width - 4] + "...'"
