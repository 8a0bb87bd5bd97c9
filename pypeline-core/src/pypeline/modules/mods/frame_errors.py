"""Run-time errors of the transforms, worded so a user can fix the flow without a traceback.

A transform meets its columns only at run time, so a misspelled column is a run error. The
engine shows a module's error beside its node in the console, but the same text also lands in
``log.jsonl``, in ``{{ <id>__error }}`` and in a caller's exception: every message therefore
starts with the node id and the module (``pick (select_mod): keep: ...``), names the option
at fault, and lists the columns the frame does have, with a "did you mean" when one is close.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pypeline.expressions.expressions import UnknownColumnError


class FrameError(ValueError):
    """The data a transform received does not fit its configuration."""


def label(node_id: str, module: str) -> str:
    """``<node id> (<module>)``: how every run error of a transform starts."""
    return f"{node_id} ({module})"


def require_columns(columns: Iterable[Any], wanted: Iterable[str], where: str, key: str) -> None:
    """Raise ``FrameError`` naming the option ``key`` if any ``wanted`` column is missing."""
    available = [str(c) for c in columns]
    present = set(available)
    missing = [c for c in dict.fromkeys(wanted) if c not in present]
    if missing:
        raise unknown_columns(missing, available, where, key)


def unknown_columns(missing: list[str], available: list[str], where: str, key: str) -> FrameError:
    """The error for columns an option names but the frame lacks (``UnknownColumnError``'s
    wording, so every transform reads like ``filter_mod``)."""
    first = UnknownColumnError(missing[0], available)
    names = ", ".join(repr(c) for c in missing)
    noun = "column" if len(missing) == 1 else "columns"
    hint = f"; {first.hint}" if first.hint else ""
    return FrameError(f"{where}: {key}: unknown {noun} {names} (columns: {first.listing}){hint}")
