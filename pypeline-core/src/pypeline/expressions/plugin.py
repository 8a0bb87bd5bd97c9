"""The function library's plugin, registered like an external pack (``plugins.DEFAULT_PLUGINS``)."""

from __future__ import annotations

from pypeline.hookspecs import hookimpl
from pypeline.sdk.functions import ExpressionFunction


@hookimpl
def pypeline_expression_functions() -> dict[str, ExpressionFunction]:
    """The functions of SPEC §3 that ship with the core."""
    from pypeline.expressions.library import library

    return library()
