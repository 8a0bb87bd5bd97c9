"""Jinja2's sandbox with limits, the only place the templater touches Jinja2's environment.

Kept in its own module so that a run whose configs hold no template never imports Jinja2.
``**`` and ``*`` are intercepted: ``10 ** 100000`` or ``"x" * 10**9`` would hang or exhaust a
run, and the sandbox alone does not stop them.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from jinja2 import StrictUndefined
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

MAX_EXPONENT = 1_000
MAX_REPEAT = 1_000_000


class Sandbox(SandboxedEnvironment):
    """Jinja2's sandbox, plus limits on ``**`` and ``*`` so a template cannot hang the run."""

    intercepted_binops = frozenset(["**", "*"])

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, (int, float)) and abs(right) > MAX_EXPONENT:
            raise SecurityError(f"exponent {right} is larger than {MAX_EXPONENT}")
        if operator == "*" and _huge_repeat(left, right):
            raise SecurityError(f"repeating a sequence more than {MAX_REPEAT} times")
        return super().call_binop(context, operator, left, right)


def _huge_repeat(left: Any, right: Any) -> bool:
    for seq, times in ((left, right), (right, left)):
        if isinstance(seq, (str, list, tuple)) and isinstance(times, int):
            return len(seq) * times > MAX_REPEAT
    return False


def make_sandbox(functions: dict[str, Any]) -> Sandbox:
    """The run's environment: strict undefined names, the run's functions, path filters."""
    env = Sandbox(undefined=StrictUndefined, autoescape=False)
    env.globals.update(functions)
    env.filters["basename"] = lambda path: PurePath(str(path)).name
    env.filters["stem"] = lambda path: PurePath(str(path)).stem
    return env
