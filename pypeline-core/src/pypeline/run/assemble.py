"""Assemble a run's ``Engine`` from the job and the effective deployment settings.

Everything the engine holds is chosen here, once: the thread pool size, the artifact backend, the
secret resolvers and the ``secret()``/``each()`` template functions, the scheduler class. Kept
out of ``run.py`` so the orchestrator stays a table of contents.
"""

from __future__ import annotations

from typing import Any

from pypeline.plugins.facade import PluginHooks
from pypeline.run.deployment import Setting
from pypeline.run.execution.engine import Engine
from pypeline.run.execution.globals import GlobalStore
from pypeline.run.execution.threads import ThreadRunner
from pypeline.run.observe.recorder import RunRecorder
from pypeline.run.observe.redact import Redactor
from pypeline.run.observe.summary import RunSummary
from pypeline.run.templater.secrets import secret_function
from pypeline.run.templater.templater import Templater
from pypeline.sdk.backend import ArtifactBackend, OnSpill
from pypeline.shared.errors import UsageError
from pypeline.shared.jobfolder.model import Job


def make_artifacts(config: dict[str, Setting], on_spill: OnSpill) -> ArtifactBackend:
    """The run's artifact store: the backend ``artifacts.backend`` names, with its options.

    The name was checked against the installed backends when the settings were read
    (``deployment.py``), before anything was written; a plugin's backend gets the same
    ``artifacts.*`` options and spill callback as the core's (see ``sdk/backend.py``).
    """
    options = {
        key: config[f"artifacts.{key}"].value
        for key in ("spill_dir", "spill_threshold_rows", "max_ram_share")
    }
    return artifact_backend(config["artifacts.backend"].value)(options, on_spill)


def artifact_backend(name: str) -> type[ArtifactBackend]:
    """A backend class by name; ``run_job`` asks first, so a clash stops it before any write."""
    hooks = PluginHooks()
    backends = hooks.artifact_backends()
    if name not in backends:
        installed = ", ".join(hooks.backend_names())
        raise UsageError(f"unknown artifact backend '{name}' (installed: {installed})")
    return backends[name]


def scheduler_class(name: str) -> type:
    """A scheduler by name, from every plugin's ``pypeline_schedulers``."""
    found = PluginHooks().schedulers()
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
    artifacts = make_artifacts(config, lambda info: recorder.event("spill", **info))
    return Engine(
        job=job,
        run_id=run_id,
        recorder=recorder,
        summary=RunSummary(redactor=redactor),
        store=store,
        templater=templater,
        artifacts=artifacts,
        threads=ThreadRunner(int(config["threads"].value)),
        hooks=PluginHooks(),
        execution_mode=job.settings.get("execution_mode", "pandas"),
    )
