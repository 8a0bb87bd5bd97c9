"""Write a plan as a job folder (SPEC §5), atomically: a failed build leaves nothing half-written.

Everything is staged in a hidden sibling folder and moved into place at the end. A rebuild
replaces the build's files and keeps ``runs/`` and ``checkpoints/`` of earlier runs. The files
are deterministic: the same flow gives the same bytes, but for ``built_at``.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pypeline.build.load.document import FlowDoc
from pypeline.build.plan.model import Plan


def job_files(plan: Plan, doc: FlowDoc, versions: dict[str, Any]) -> dict[str, str]:
    """Relative path → file text, for every file of the job folder."""
    name = plan.flow["name"]
    files = {
        f"{name}.yaml": doc.text,
        f"{name}_dag.json": _json(dag(plan)),
        f"{name}_execution_metadata.json": _json(execution_metadata(plan, doc, versions)),
    }
    for ctx_name, variables in plan.contexts.items():
        files[f"context/{name}_{ctx_name}.json"] = _json(variables)
    return files


def dag(plan: Plan) -> dict[str, Any]:
    """Every node with its module's full metadata, plus the data edges."""
    return {
        "job": plan.flow["name"],
        "nodes": [
            {
                "id": n.id,
                "module": n.module,
                "type": n.type,
                "module_path": n.module_path,
                "sub_flow": plan.subflow_of(n.id).id,
                "configs": n.configs,
                "meta": n.meta,
            }
            for n in plan.nodes.values()
        ],
        "data_edges": [
            {"src": e.src, "src_port": e.src_port, "dst": e.dst, "dst_port": e.dst_port}
            for e in plan.data_edges
        ],
    }


def execution_metadata(plan: Plan, doc: FlowDoc, versions: dict[str, Any]) -> dict[str, Any]:
    """Settings with defaults, sub flows, resolved control edges, root order, versions, sha."""
    return {
        "job": plan.flow["name"],
        "flow": plan.flow,
        "settings": plan.settings,
        "settings_given": doc.data.get("settings") or {},
        "sub_flows": [
            {"id": s.id, "members": list(s.members), "waves": [list(w) for w in s.waves]}
            for s in plan.subflows.values()
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
            for e in plan.control_edges
        ],
        "root_order": list(plan.roots),
        "contexts": list(plan.contexts),
        "versions": versions,
        "flow_sha256": doc.sha256,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def write_job(files: dict[str, str], out_dir: Path, name: str) -> Path:
    """Stage every file, then move them into ``<out_dir>/<name>``; return that folder.

    A folder that cannot be written (no such parent, read-only, full) is a usage error naming
    it, exit 2; the staging folder is removed, so nothing is half-written.
    """
    from pypeline.build.errors import UsageError

    try:
        return _write_job(files, out_dir, name)
    except OSError as exc:
        where = exc.filename or out_dir
        raise UsageError(
            f"cannot write the job folder {out_dir / name}: {where}: {exc.strerror or exc}",
            "choose another folder with -o / --jobs-dir",
        ) from None


def _write_job(files: dict[str, str], out_dir: Path, name: str) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    job_dir = out_dir / name
    stage = Path(tempfile.mkdtemp(prefix=f".{name}.build-", dir=out_dir))
    try:
        for rel, text in files.items():
            target = stage / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        if not job_dir.exists():
            os.replace(stage, job_dir)
            return job_dir
        for entry in stage.iterdir():
            dest = job_dir / entry.name
            if entry.is_dir() and dest.exists():
                shutil.rmtree(dest)
            os.replace(entry, dest)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return job_dir


def _json(value: Any) -> str:
    return json.dumps(value, indent=2, default=str, ensure_ascii=False) + "\n"
