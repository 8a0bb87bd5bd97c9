"""Assemble a run's ``Engine`` from the job, its checkpoint and the effective deployment settings.

Everything the engine holds is chosen here, once, and handed to it whole: the run records, the
thread pool size, the artifact backend, the secret resolvers and the ``secret()``/``each()``
template functions, the module instances, the checkpoint and what a resume restores. The
scheduler class is looked up here too. Kept out of ``run.py`` so the orchestrator stays a table
of contents, and so that nothing patches the engine after it is made.
"""

from __future__ import annotations

from pathlib import Path

from pypeline.plugins.facade import PluginHooks
from pypeline.run.checkpoint.opening import Opened
from pypeline.run.deployment import Setting
from pypeline.run.execution.engine import Engine, SchedulerClass
from pypeline.run.execution.globals import GlobalStore
from pypeline.run.execution.instances import ModuleInstances
from pypeline.run.execution.threads import ThreadRunner
from pypeline.run.observe.recorder import RunRecorder
from pypeline.run.observe.redact import Redactor
from pypeline.run.observe.summary import RunSummary
from pypeline.run.options import context_variables
from pypeline.run.templater.secrets import secret_function
from pypeline.run.templater.templater import Templater
from pypeline.sdk.backend import ArtifactBackend, OnSpill
from pypeline.sdk.secrets import SecretResolver
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


def scheduler_class(name: str) -> SchedulerClass:
    """A scheduler by name, from every plugin's ``pypeline_schedulers``."""
    found = PluginHooks().schedulers()
    if name not in found:
        raise UsageError(
            f"unknown scheduler '{name}'", f"installed schedulers: {', '.join(sorted(found))}"
        )
    scheduler: SchedulerClass = found[name]
    return scheduler


def make_recorder(
    job: Job, run_id: str, config: dict[str, Setting], redactor: Redactor, quiet: bool
) -> RunRecorder:
    """The run's records, ``<job>/runs/<run_id>/``, as ``log.format`` and ``log.file`` ask."""
    log_file = config["log.file"].value
    return RunRecorder(
        job.name,
        run_id,
        job.dir / "runs" / run_id,
        console="quiet" if quiet else config["log.format"].value,
        log_file=Path(log_file) if log_file else None,
        redactor=redactor,
    )


def make_engine(
    job: Job,
    opened: Opened,
    config: dict[str, Setting],
    resolvers: dict[str, SecretResolver],
    redactor: Redactor,
    quiet: bool = False,
) -> Engine:
    """The engine of one run, built whole; nothing in it is shared with another run.

    A resumed run's globals are back in the store before anything can read them.
    """
    variables = context_variables(job, opened.inputs)
    run_id = opened.run_id
    recorder = make_recorder(job, run_id, config, redactor, quiet)
    store = GlobalStore()
    if opened.restored is not None:
        store.restore(opened.restored.globals)
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
        execution_mode=job.settings.get("execution_mode", "pandas"),
        recorder=recorder,
        summary=RunSummary(redactor=redactor),
        store=store,
        templater=templater,
        artifacts=artifacts,
        threads=ThreadRunner(int(config["threads"].value)),
        hooks=PluginHooks(),
        modules=ModuleInstances(job),
        checkpoint=opened.checkpoint,
        restored=opened.restored,
    )
