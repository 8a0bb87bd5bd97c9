"""Write a plan as a job folder (SPEC §5), atomically: a failed build leaves nothing half-written.

Everything is staged in a hidden sibling folder and moved into place at the end. A rebuild
replaces the build's files and keeps ``runs/`` and ``checkpoints/`` of earlier runs. The files
are deterministic: the same flow gives the same bytes, but for ``built_at``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from pypeline.build.load.document import FlowDoc
from pypeline.build.plan.model import Plan
from pypeline.shared.errors import UsageError
from pypeline.shared.jobfolder.jobfolder import encode
from pypeline.shared.jobfolder.model import Job, subflow_ids


def job_files(plan: Plan, doc: FlowDoc, versions: dict[str, Any]) -> dict[str, str]:
    """Relative path → file text, for every file of the job folder (``shared.jobfolder``)."""
    job = Job(
        name=plan.flow["name"],
        dir=Path(),
        nodes=plan.nodes,
        data_edges=plan.data_edges,
        control_edges=plan.control_edges,
        subflows=plan.subflows,
        subflow_of=subflow_ids(plan.subflows),
        roots=plan.roots,
        settings=plan.settings,
        contexts=tuple(plan.contexts),
        settings_given=doc.data.get("settings") or {},
        flow_sha256=doc.sha256,
    )
    return encode(
        job, flow=plan.flow, flow_text=doc.text, contexts=plan.contexts, versions=versions
    )


def write_job(files: dict[str, str], out_dir: Path, name: str) -> Path:
    """Stage every file, then move them into ``<out_dir>/<name>``; return that folder.

    A folder that cannot be written (no such parent, read-only, full) is a usage error naming
    it, exit 2; the staging folder is removed, so nothing is half-written.
    """
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
