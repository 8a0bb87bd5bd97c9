"""The plan: plain frozen data between the build's phases and in the job folder.

Load turns YAML into a ``FlowDoc``; plan turns that into a ``Plan`` (nodes, edges, sub flows);
output writes the plan to disk as JSON; the runtime reads the JSON back into a ``Job``. Nothing
here knows about YAML marks, pandas or the scheduler.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any


@dataclass(frozen=True)
class Node:
    """One module instance in the flow: its id, module name and configs (defaults applied)."""

    id: str
    module: str
    type: str
    module_path: str
    configs: dict[str, Any]
    meta: dict[str, Any]


@dataclass(frozen=True)
class DataEdge:
    """``<src>.<src_port> - <dst>.<dst_port>``: a DataFrame handed from one module to another."""

    src: str
    src_port: str
    dst: str
    dst_port: str
    index: int = field(default=-1, compare=False)


@dataclass(frozen=True)
class ControlEdge:
    """``<src> (<order>|<condition>) [<type>] <dst>``, its order resolved (``Last`` → number)."""

    src: str
    dst: str
    order: int
    condition: str | None = None
    type: str = "normal"
    parallel: int = 1
    index: int = field(default=-1, compare=False)


@dataclass(frozen=True)
class SubFlow:
    """A weakly connected component of the data graph, with its topological waves."""

    id: str
    members: tuple[str, ...]
    waves: tuple[tuple[str, ...], ...]


def subflow_ids(subflows: Mapping[str, SubFlow]) -> dict[str, str]:
    """Node id → id of its sub flow: the one map the plan, its validators and the run share."""
    return {node: sub.id for sub in subflows.values() for node in sub.members}


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
    ) -> Any:
        """A located problem; ``key`` is ``node:<id>``, ``data[<i>]`` or ``control[<i>]``."""
        from pypeline.build.errors import FlowError

        line, col = self.locations.get(key, (1, 1))
        return FlowError(self.path, line, col, message, hint, severity)

    def subflow_of(self, node_id: str) -> SubFlow:
        """The sub flow a node belongs to (``KeyError`` for an unknown id)."""
        return self.subflows[self._subflow_ids[node_id]]

    @cached_property
    def _subflow_ids(self) -> dict[str, str]:
        """Built once: validators ask per edge, and flows can be large."""
        return subflow_ids(self.subflows)
