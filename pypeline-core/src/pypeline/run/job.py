"""Read a built job folder back into plain data: the only input of a run (SPEC §5, §6).

The runtime never looks at the flow YAML or the module registry: module classes are imported from
the ``module_path`` each node carries, so a job folder runs wherever its modules are importable.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypeline.build.errors import UsageError
from pypeline.build.plan.model import ControlEdge, DataEdge, Node, SubFlow, subflow_ids


@dataclass(frozen=True)
class Job:
    """A built job: nodes, edges, sub flows, settings and where its files are."""

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


def find_metadata(job_dir: Path) -> Path:
    """The ``*_execution_metadata.json`` of a job folder, or a usage error saying what is wrong."""
    if not job_dir.is_dir():
        raise UsageError(f"job folder not found: {job_dir}", "build one with: pype build FLOW.yaml")
    found = sorted(job_dir.glob("*_execution_metadata.json"))
    if len(found) != 1:
        raise UsageError(
            f"not a job folder (no single *_execution_metadata.json): {job_dir}",
            "build one with: pype build FLOW.yaml",
        )
    return found[0]


def load_job(job_dir: Path) -> Job:
    """Parse the job folder's JSON files."""
    meta = _read(find_metadata(job_dir))
    name = meta["job"]
    dag = _read(job_dir / f"{name}_dag.json")
    nodes = {
        n["id"]: Node(n["id"], n["module"], n["type"], n["module_path"], n["configs"], n["meta"])
        for n in dag["nodes"]
    }
    subflows = {
        s["id"]: SubFlow(s["id"], tuple(s["members"]), tuple(tuple(w) for w in s["waves"]))
        for s in meta["sub_flows"]
    }
    return Job(
        name=name,
        dir=job_dir,
        nodes=nodes,
        data_edges=tuple(DataEdge(**e) for e in dag["data_edges"]),
        control_edges=tuple(ControlEdge(**e, index=i) for i, e in enumerate(meta["control_edges"])),
        subflows=subflows,
        subflow_of=subflow_ids(subflows),
        roots=tuple(meta["root_order"]),
        settings=meta["settings"],
        contexts=tuple(meta.get("contexts", ["default"])),
        settings_given=meta.get("settings_given", meta["settings"]),
        flow_sha256=meta["flow_sha256"],
    )


def _read(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"job folder is incomplete: {path} is missing") from None
    except json.JSONDecodeError as exc:
        raise UsageError(f"job file is not valid JSON: {path}: {exc}") from None
