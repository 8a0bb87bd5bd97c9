"""The build orchestrator: YAML → load → plan → job folder (SPEC §5).

``validate_flow`` stops after the plan; ``build_flow`` also writes the job folder. Build resolves
no template and no secret: the job folder is safe to commit or ship.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypeline.build.load.document import FlowDoc
from pypeline.build.load.load import load_flow
from pypeline.build.output.output import job_files, write_job
from pypeline.build.plan.model import Plan
from pypeline.build.plan.plan import make_plan
from pypeline.plugins.catalog import Catalog, build_catalog
from pypeline.plugins.plugins import get_plugins
from pypeline.shared.errors import FlowError


@dataclass(frozen=True)
class Built:
    """A validated flow: its document, its plan, and the job folder when one was written."""

    doc: FlowDoc
    plan: Plan
    job_dir: Path | None = None

    @property
    def warnings(self) -> tuple[FlowError, ...]:
        """The load phase's warnings, then the plan's: each phase keeps its own, and a user
        sees them all on every command that builds (validate, build, run)."""
        return (*self.doc.warnings, *self.plan.warnings)


def validate_flow(path: str | Path, catalog: Catalog | None = None) -> Built:
    """Load and plan; raise ``FlowInvalid`` with every problem found."""
    catalog = catalog or build_catalog()
    doc = load_flow(path, catalog)
    return Built(doc, make_plan(doc, catalog))


def build_flow(path: str | Path, out_dir: str | Path = "jobs") -> Built:
    """Validate, then write ``<out_dir>/<flow name>/``."""
    return write_built(validate_flow(path), out_dir)


def write_built(built: Built, out_dir: str | Path = "jobs") -> Built:
    """Write the job folder of a flow already validated (``pype run`` validates, takes the
    job's run lock, then writes what it validated)."""
    files = job_files(built.plan, built.doc, versions())
    job_dir = write_job(files, Path(out_dir), built.plan.flow["name"])
    return Built(built.doc, built.plan, job_dir)


def versions() -> dict[str, Any]:
    """Version of the core and of every installed plugin distribution."""
    from pypeline import __version__

    plugins = {
        p["distribution"]: p["version"]
        for p in get_plugins().describe()
        if p["distribution"] != "pypeline-core"
    }
    return {"pypeline-core": __version__, "plugins": dict(sorted(plugins.items()))}
