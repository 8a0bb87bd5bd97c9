"""The job folder's format (SPEC §5), defined once: the build encodes with it, the run decodes.

A job folder holds ``<job>.yaml`` (the flow as written), ``<job>_dag.json`` (nodes with their
module's metadata, data edges), ``<job>_execution_metadata.json`` (settings, sub flows, control
edges, root order, versions, the flow's sha256) and ``context/<job>_<name>.json``. The metadata
carries ``format_version``: a folder written in another format is refused with a rebuild hint
instead of being half-understood. Bump ``FORMAT_VERSION`` whenever what the run reads changes.

The runtime never looks at the flow YAML or the module registry: module classes are imported from
the ``module_path`` each node carries, so a job folder runs wherever its modules are importable.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pypeline.shared.errors import UsageError
from pypeline.shared.jobfolder.model import ControlEdge, DataEdge, Job, Node, SubFlow, subflow_ids

#: The format this PYpeline writes and the only one it runs.
FORMAT_VERSION = 1
REBUILD_HINT = "build one with: pype build FLOW.yaml"


def encode(
    job: Job,
    *,
    flow: dict[str, Any],
    flow_text: str,
    contexts: Mapping[str, dict[str, Any]],
    versions: dict[str, Any],
) -> dict[str, str]:
    """Relative path → file text, for every file of the job folder (``job.dir`` is not used).

    Deterministic: the same job gives the same bytes, but for ``built_at``.
    """
    files = {
        f"{job.name}.yaml": flow_text,
        f"{job.name}_dag.json": _json(_dag(job)),
        f"{job.name}_execution_metadata.json": _json(_metadata(job, flow, versions)),
    }
    for ctx, values in contexts.items():
        files[f"context/{job.name}_{ctx}.json"] = _json(values)
    return files


def _dag(job: Job) -> dict[str, Any]:
    return {
        "job": job.name,
        "nodes": [
            {
                "id": n.id,
                "module": n.module,
                "type": n.type,
                "module_path": n.module_path,
                "sub_flow": job.subflow_of[n.id],
                "configs": n.configs,
                "meta": n.meta,
                "line": n.line,
            }
            for n in job.nodes.values()
        ],
        "data_edges": [
            {"src": e.src, "src_port": e.src_port, "dst": e.dst, "dst_port": e.dst_port}
            for e in job.data_edges
        ],
    }


def _metadata(job: Job, flow: dict[str, Any], versions: dict[str, Any]) -> dict[str, Any]:
    return {
        "format_version": FORMAT_VERSION,
        "job": job.name,
        "flow": flow,
        "settings": job.settings,
        "settings_given": job.settings_given,
        "sub_flows": [
            {"id": s.id, "members": list(s.members), "waves": [list(w) for w in s.waves]}
            for s in job.subflows.values()
        ],
        "control_edges": [
            {
                "src": e.src,
                "dst": e.dst,
                "order": e.order,
                "condition": e.condition,
                "type": e.type,
                "parallel": e.parallel,
            }
            for e in job.control_edges
        ],
        "root_order": list(job.roots),
        "contexts": list(job.contexts),
        "versions": versions,
        "flow_sha256": job.flow_sha256,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def find_metadata(job_dir: Path) -> Path:
    """The ``*_execution_metadata.json`` of a job folder, or a usage error saying what is wrong."""
    if not job_dir.is_dir():
        raise UsageError(f"job folder not found: {job_dir}", REBUILD_HINT)
    found = sorted(job_dir.glob("*_execution_metadata.json"))
    if len(found) != 1:
        raise UsageError(
            f"not a job folder (no single *_execution_metadata.json): {job_dir}", REBUILD_HINT
        )
    return found[0]


def load_job(job_dir: Path) -> Job:
    """Parse the job folder's JSON files; a folder of another format is refused (exit 2)."""
    meta = _read(find_metadata(job_dir))
    check_format(job_dir, meta)
    name = meta["job"]
    dag = _read(job_dir / f"{name}_dag.json")
    nodes = {
        n["id"]: Node(
            n["id"],
            n["module"],
            n["type"],
            n["module_path"],
            n["configs"],
            n["meta"],
            n.get("line", 0),
        )
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
        contexts=tuple(meta["contexts"]),
        settings_given=meta["settings_given"],
        flow_sha256=meta["flow_sha256"],
    )


def check_format(job_dir: Path, meta: Any) -> None:
    """Refuse a folder this PYpeline did not write the format of, naming both versions."""
    found = meta.get("format_version") if isinstance(meta, dict) else None
    if found == FORMAT_VERSION:
        return
    built_by = (meta.get("versions") or {}).get("pypeline-core") if isinstance(meta, dict) else None
    by = f" by pypeline-core {built_by}" if built_by else ""
    raise UsageError(
        f"job folder {job_dir} was built{by} in job format {'unknown' if found is None else found};"
        f" this PYpeline runs job format {FORMAT_VERSION}",
        "rebuild it: pype build FLOW.yaml (its runs/ and checkpoints/ are kept)",
    )


def _read(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"job folder is incomplete: {path} is missing") from None
    except json.JSONDecodeError as exc:
        raise UsageError(f"job file is not valid JSON: {path}: {exc}") from None


def _json(value: Any) -> str:
    return json.dumps(value, indent=2, default=str, ensure_ascii=False) + "\n"
