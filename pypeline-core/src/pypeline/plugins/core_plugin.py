"""The core's own plugin: validators, artifact backends, secret resolvers and the scheduler.

Registered exactly like an external plugin (datasette's DEFAULT_PLUGINS), so the core eats its own
hooks. Imports happen inside each hook, when the engine first asks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from pypeline.hookspecs import hookimpl


@hookimpl
def pypeline_validators() -> list[Callable[[Any], Iterable[Any]]]:
    """Connection, topology and config checks of the plan phase."""
    from pypeline.build.plan.validators import BUILTIN_VALIDATORS

    return list(BUILTIN_VALIDATORS)


@hookimpl
def pypeline_artifact_backends() -> dict[str, type]:
    """``auto`` spills by the thresholds; ``memory`` keeps frames in RAM; ``parquet`` spills all."""
    from pypeline.plugins.backends import BUILTIN

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
