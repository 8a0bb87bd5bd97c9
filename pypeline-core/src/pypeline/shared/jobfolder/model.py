"""The job's parts as plain frozen data: what the build's plan holds and the job folder stores.

The build makes these from YAML (``build/plan``), ``jobfolder.py`` writes them as JSON and reads
them back into a ``Job`` for the run. Nothing here knows about YAML marks, pandas or the
scheduler, so both phases can depend on it without depending on each other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Node:
    """One module instance in the flow: its id, module name and configs (defaults applied).

    ``line`` is where the flow YAML defines it (0 when unknown), so a run-time error can point
    at the flow the way a build error does.
    """

    id: str
    module: str
    type: str
    module_path: str
    configs: dict[str, Any]
    meta: dict[str, Any]
    line: int = 0


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
class Job:
    """A built job as the run reads it: nodes, edges, sub flows, settings, where its files are."""

    name: str
    dir: Path
    nodes: dict[str, Node]
    data_edges: tuple[DataEdge, ...]
    control_edges: tuple[ControlEdge, ...]
    subflows: dict[str, SubFlow]
    subflow_of: dict[str, str]
    roots: tuple[str, ...]
    settings: dict[str, Any]
    contexts: tuple[str, ...]
    #: The settings as the flow wrote them (no defaults): what deployment precedence sees.
    settings_given: dict[str, Any]
    flow_sha256: str

    def context_file(self, name: str) -> Path:
        return self.dir / "context" / f"{self.name}_{name}.json"
