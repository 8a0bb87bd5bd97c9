"""Assemble a run's ``Engine`` from the job and the effective deployment settings.

Everything the engine holds is chosen here, once: the thread pool size, the artifact policy, the
secret resolvers and the ``secret()``/``each()`` template functions, the scheduler class. Kept
out of ``run.py`` so the orchestrator stays a table of contents.
"""

from __future__ import annotations

from typing import Any

from pypeline.build.errors import UsageError
from pypeline.plugins.plugins import get_plugins
from pypeline.run.artifacts.artifact import ArtifactManager
from pypeline.run.deployment import Setting
from pypeline.run.execution.engine import Engine
from pypeline.run.execution.globals import GlobalStore
from pypeline.run.execution.threads import ThreadRunner
from pypeline.run.job import Job
from pypeline.run.observe.logging import RunRecorder
from pypeline.run.observe.redact import Redactor
from pypeline.run.observe.summary import RunSummary
from pypeline.run.templater.secrets import secret_function
from pypeline.run.templater.templater import Templater

#: ``artifacts.backend`` as a spill policy: ``auto`` follows the thresholds.
BACKEND_POLICY: dict[str, dict[str, Any]] = {
    "auto": {},
    "memory": {"spill_threshold_rows": 2**62, "max_ram_share": 2.0},
    "parquet": {"spill_threshold_rows": 0},
}


def artifact_config(config: dict[str, Setting]) -> dict[str, Any]:
    """The artifact manager's options from the effective settings."""
    options = {
        key: config[f"artifacts.{key}"].value
        for key in ("spill_dir", "spill_threshold_rows", "max_ram_share")
    }
    options.update(BACKEND_POLICY[config["artifacts.backend"].value])
    return options


def scheduler_class(name: str) -> type:
    """A scheduler by name, from every plugin's ``pypeline_schedulers``."""
    found: dict[str, type] = {}
    for schedulers in get_plugins().pm.hook.pypeline_schedulers():
        found.update(schedulers)
    if name not in found:
        raise UsageError(
            f"unknown scheduler '{name}'", f"installed schedulers: {', '.join(sorted(found))}"
        )
    return found[name]


def make_engine(
    job: Job,
    run_id: str,
    variables: dict[str, Any],
    config: dict[str, Setting],
    recorder: RunRecorder,
    redactor: Redactor,
    resolvers: dict[str, Any],
) -> Engine:
    """The engine of one run; nothing in it is shared with another run."""
    store = GlobalStore()
    templater = Templater(
        variables,
        {"id": run_id, "job": job.name},
        store.get,
        secret_function(resolvers, redactor.add),
        functions={"each": store.every},
    )
    artifacts = ArtifactManager(
        artifact_config(config), on_spill=lambda info: recorder.event("spill", **info)
    )
    return Engine(
        job=job,
        run_id=run_id,
        recorder=recorder,
        summary=RunSummary(redactor=redactor),
        store=store,
        templater=templater,
        artifacts=artifacts,
        threads=ThreadRunner(int(config["threads"].value)),
        hooks=get_plugins().pm.hook,
        execution_mode=job.settings.get("execution_mode", "pandas"),
    )
