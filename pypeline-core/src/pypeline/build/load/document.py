"""``FlowDoc``: a flow file as loaded and validated, with the position of every key.

Every later check (schema, configs, the plan phase's connections and topology) reports its
problems against the user's file, so the document keeps where each key was written and turns
a key path into a located ``FlowError`` in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pypeline.shared.errors import FlowError


@dataclass(frozen=True)
class FlowDoc:
    """The flow's data as YAML gave it, its text, its hash and the marks of its keys.

    ``path`` is the file as the user named it (so messages read ``flows/a.yaml:3:5: ...``, not
    an absolute path they never typed); ``sha256`` is of the file's bytes, for the build's
    execution metadata; ``marks`` maps a key path (``("modules", 0, "name")``) to the 1-based
    line and column of that key (mapping entry) or item (list item).
    """

    path: str
    text: str
    sha256: str
    data: dict[str, Any]
    marks: dict[tuple[str | int, ...], tuple[int, int]] = field(repr=False)
    #: Load-phase problems of severity "warning", for the build to show beside the plan's.
    warnings: tuple[FlowError, ...] = ()

    def where(self, *keys: str | int) -> tuple[int, int]:
        """Line and column of a key path, else of its nearest marked ancestor, else (1, 1).

        Falling back keeps every message located even when a problem is about something
        that is not written (a missing key is reported where its parent is).
        """
        for end in range(len(keys), -1, -1):
            mark = self.marks.get(tuple(keys[:end]))
            if mark is not None:
                return mark
        return 1, 1

    def error(
        self,
        keys: tuple[str | int, ...],
        message: str,
        hint: str | None = None,
        severity: str = "error",
    ) -> FlowError:
        """A ``FlowError`` in this file at the key path ``keys``."""
        line, col = self.where(*keys)
        return FlowError(self.path, line, col, message, hint, severity)
