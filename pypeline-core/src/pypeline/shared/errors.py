"""Errors as values with a location, raised once per phase and rendered once by the CLI."""

from __future__ import annotations

from dataclasses import dataclass

#: Control characters as their escapes: a message quotes the flow's own text (a key, an id),
#: which may hold a newline, and a problem must stay one line (SPEC §5).
_ONE_LINE = {c: repr(chr(c))[1:-1] for c in [*range(32), 127]}


@dataclass(frozen=True)
class FlowError:
    """One problem in a flow file, at a line and column (1-based; 0 when unknown)."""

    path: str
    line: int
    col: int
    message: str
    hint: str | None = None
    severity: str = "error"

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", self.message.translate(_ONE_LINE))
        if self.hint is not None:
            object.__setattr__(self, "hint", self.hint.translate(_ONE_LINE))

    def render(self) -> str:
        """``<file>:<line>:<col>: <message>`` plus ``  hint: ...`` when there is one."""
        text = f"{self.path}:{self.line}:{self.col}: {self.message}"
        if self.severity == "warning":
            text = f"{self.path}:{self.line}:{self.col}: warning: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class FlowInvalid(Exception):
    """The flow has one or more errors; the CLI prints each and exits 2."""

    def __init__(self, problems: list[FlowError]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.line, p.col, p.message))
        super().__init__("\n".join(p.render() for p in self.problems))


class UsageError(Exception):
    """Bad usage outside a flow file (missing job folder, bad option): exit 2, one line."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        self.hint = hint
        super().__init__(message)
