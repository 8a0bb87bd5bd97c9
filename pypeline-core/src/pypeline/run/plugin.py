"""The run's own plugin: artifact backends, secret resolvers and the scheduler.

The plugin manager imports it by name (``plugins.DEFAULT_PLUGINS``), as tox 4 and datasette
load their built-ins, so the plugins layer never imports the run and the core eats its own
hooks. Imports happen inside each hook, when the run first asks.
"""

from __future__ import annotations

from typing import Any

from pypeline.hookspecs import hookimpl


@hookimpl
def pypeline_artifact_backends() -> dict[str, type]:
    """``auto`` spills by the thresholds; ``memory`` keeps frames in RAM; ``parquet`` spills all."""
    from pypeline.run.artifacts.backends import BUILTIN

    return dict(BUILTIN)


@hookimpl
def pypeline_secret_resolvers() -> dict[str, Any]:
    """``env:NAME`` reads an environment variable; ``file:/path`` reads a file's content."""
    from pypeline.run.templater.secrets import EnvResolver, FileResolver

    return {"env": EnvResolver(), "file": FileResolver()}


@hookimpl
def pypeline_schedulers() -> dict[str, type]:
    """``priority_dfs``: sub flows in priority-DFS order over control edges (SPEC §6)."""
    from pypeline.run.scheduling.scheduler import PriorityDfsScheduler

    return {"priority_dfs": PriorityDfsScheduler}
