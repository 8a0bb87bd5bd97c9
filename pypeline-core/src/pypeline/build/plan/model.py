"""The plan: the build's frozen result, made of the job folder's parts (``shared.jobfolder``).

Load turns YAML into a ``FlowDoc``; plan turns that into a ``Plan`` (nodes, edges, sub flows,
plus the YAML locations its validators report at); output writes it with ``shared.jobfolder``,
which the runtime reads back into a ``Job``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from pypeline.shared.errors import FlowError
from pypeline.shared.jobfolder.model import ControlEdge, DataEdge, Node, SubFlow, subflow_ids


@dataclass(frozen=True)
class Plan:
    """Everything the build writes and the runtime needs, resolved but untemplated."""

    flow: dict[str, Any]
    settings: dict[str, Any]
    contexts: dict[str, dict[str, Any]]
    nodes: dict[str, Node]
    data_edges: tuple[DataEdge, ...]
    control_edges: tuple[ControlEdge, ...]
    subflows: dict[str, SubFlow]
    roots: tuple[str, ...]
    warnings: tuple[Any, ...] = ()
    path: str = ""
    locations: dict[str, tuple[int, int]] = field(default_factory=dict)

    def error(
        self, key: str, message: str, hint: str | None = None, severity: str = "error"
    ) -> FlowError:
        """A located problem; ``key`` is ``node:<id>``, ``data[<i>]`` or ``control[<i>]``."""
        line, col = self.locations.get(key, (1, 1))
        return FlowError(self.path, line, col, message, hint, severity)

    def subflow_of(self, node_id: str) -> SubFlow:
        """The sub flow a node belongs to (``KeyError`` for an unknown id)."""
        return self.subflows[self._subflow_ids[node_id]]

    @cached_property
    def _subflow_ids(self) -> dict[str, str]:
        """Built once: validators ask per edge, and flows can be large."""
        return subflow_ids(self.subflows)
