"""The hooks a PYpeline plugin may implement.

One small module, grouped by phase, in the style of pytest's and datasette's hookspecs: each
docstring says *when* the engine calls the hook and what it does with the answer. A plugin marks
its implementations with ``pypeline.hookimpl``; an implementation whose name is not below is an
error at start-up (``check_pending``), never silently ignored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from pypeline.sdk.base import BaseModule
    from pypeline.sdk.functions import ExpressionFunction

PROJECT_NAME = "pypeline"
hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


# --------------------------------------------------------------------------------------------
# Discovery: called once per process, when a command first needs the catalog.
# --------------------------------------------------------------------------------------------


@hookspec
def pypeline_modules() -> list[type[BaseModule]]:
    """Return the module classes this plugin provides.

    Called when the catalog is built (``pype list-modules``, ``validate``, ``build``). Every
    class's ``NAME`` must be unique across all installed plugins; a clash is an error naming
    both distributions.
    """


@hookspec
def pypeline_validators() -> list[Callable[[Any], Iterable[Any]]]:
    """Return plan validators: callables ``(plan) -> iterable of FlowError``.

    Called by ``pype validate`` and ``pype build`` after the plan is made. Every problem of every
    validator is reported; a build with any error writes nothing.
    """


@hookspec
def pypeline_artifact_backends() -> dict[str, type]:
    """Return artifact backend classes by name (``auto``, ``memory``, ``parquet`` in the core).

    Called when a run starts; the deployment key ``artifacts.backend`` picks one, which is built
    as ``cls(options, on_spill)`` and stores every module output (``register(frame, name)``
    returns its artifact) until ``cleanup()`` at the end of the run. A name given by two plugins
    is an error naming both distributions.
    """


@hookspec
def pypeline_secret_resolvers() -> dict[str, Any]:
    """Return secret resolvers by scheme (``env``, ``file`` in the core; ``vault`` in a pack).

    Called once when a run starts (never by ``build`` or ``validate``); a resolver is asked
    for a value only when a template calls ``secret("<scheme>:...")``. A resolver may have a
    ``configure(options)`` method: it gets the flow's ``settings.secrets.<scheme>`` mapping.
    """


@hookspec
def pypeline_schedulers() -> dict[str, type]:
    """Return scheduler classes by name (``priority_dfs`` in the core).

    Called when a run starts; the deployment configuration picks one by name.
    """


@hookspec
def pypeline_expression_functions() -> dict[str, ExpressionFunction]:
    """Return functions of the expression language by name (the library of SPEC §3 in the core).

    Called when an expression is first checked (``pype validate``, ``build``, and the run of a
    module that takes expressions). Each value is a ``pypeline.sdk.functions.ExpressionFunction``
    whose ``name`` is its key. A name given by two plugins is an error naming both
    distributions; ``pype show-functions`` lists every function with the distribution giving it.
    """


# --------------------------------------------------------------------------------------------
# Observation: called during a run; return values are ignored.
# --------------------------------------------------------------------------------------------


@hookspec
def pypeline_job_start(job: str, run_id: str, job_dir: str) -> None:
    """Called once, after the run records are opened and before the first sub flow starts."""


@hookspec
def pypeline_node_end(job: str, run_id: str, node_id: str, record: dict[str, Any]) -> None:
    """Called after every module run (every iteration), with its record (status, rows, time)."""


@hookspec
def pypeline_job_end(job: str, run_id: str, status: str, summary: dict[str, Any]) -> None:
    """Called once at the very end of a run, after teardown, with the summary written to disk."""
