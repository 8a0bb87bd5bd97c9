"""The typed plugin facade: one method per hook, so callers never touch ``pm.hook`` (tox 4's idea).

Each method asks every plugin that implements the hook and merges the answers with a real type.
For the hooks that give things by name (schedulers, secret schemes, artifact backends) two
plugins giving one name is refused here, in one place, naming both distributions — the same rule
the module catalog applies to module names — instead of the last registered one silently winning.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from pypeline.plugins.plugins import Plugins, get_plugins
from pypeline.shared.errors import FlowError, UsageError

if TYPE_CHECKING:
    from pypeline.sdk.backend import ArtifactBackend
    from pypeline.sdk.functions import ExpressionFunction
    from pypeline.sdk.secrets import SecretResolver

#: A plan validator: ``(plan) -> iterable of FlowError`` (the plan is the build's; this layer
#: sits below it, so it is ``Any`` here).
Validator = Callable[[Any], Iterable[FlowError]]

#: The core's backends, offered first in every listing (``auto`` is the default).
BUILTIN_BACKENDS = ("auto", "memory", "parquet")


@dataclass(frozen=True)
class Answer:
    """One plugin's answer to a discovery hook, or why it could not give one."""

    plugin: str
    distribution: str
    value: Any = None
    error: str | None = None


class PluginHooks:
    """What the engine and the build ask of plugins, typed."""

    def __init__(self, plugins: Plugins | None = None) -> None:
        self.plugins = plugins or get_plugins()

    def answers(self, hook: str) -> Iterator[Answer]:
        """Every implementation of ``hook`` called on its own: one failure stays its plugin's."""
        caller = getattr(self.plugins.pm.hook, hook)
        for impl in caller.get_hookimpls():
            dist = self.plugins.distribution_of(impl.plugin)
            try:
                value = impl.function()
            except Exception as exc:  # a broken pack must not break the others
                yield Answer(impl.plugin_name, dist, error=f"{type(exc).__name__}: {exc}")
                continue
            yield Answer(impl.plugin_name, dist, value)

    # Discovery ------------------------------------------------------------------------------

    def modules(self) -> list[Answer]:
        """Each plugin's module classes (``value``: a list) or its error; the catalog checks."""
        out = []
        for answer in self.answers("pypeline_modules"):
            if answer.error is None:
                answer = Answer(answer.plugin, answer.distribution, list(answer.value or []))
            out.append(answer)
        return out

    def validators(self) -> list[Validator]:
        """Every plan validator of every plugin, in registration order."""
        found: list[Validator] = []
        for validators in self.plugins.pm.hook.pypeline_validators():
            found.extend(cast(Iterable[Validator], validators))
        return found

    def schedulers(self) -> dict[str, type]:
        """Scheduler classes by name; a name given by two plugins is refused."""
        return self._named("pypeline_schedulers", "scheduler")

    def secret_resolvers(self) -> dict[str, SecretResolver]:
        """New secret resolver objects by scheme; a scheme given by two plugins is refused."""
        return self._named("pypeline_secret_resolvers", "secret scheme")

    def artifact_backends(self) -> dict[str, type[ArtifactBackend]]:
        """Artifact backend classes by name; a name given by two plugins is refused."""
        return self._named("pypeline_artifact_backends", "artifact backend")

    def expression_functions(self) -> dict[str, ExpressionFunction]:
        """Expression functions by name; a name given by two plugins is refused."""
        return self._named("pypeline_expression_functions", "expression function")

    def backend_names(self) -> tuple[str, ...]:
        """Installed backend names: the core's first, then the plugins' in name order."""
        names = set(self.artifact_backends())
        core = tuple(n for n in BUILTIN_BACKENDS if n in names)
        return core + tuple(sorted(names - set(core)))

    # Observation ----------------------------------------------------------------------------

    def job_start(self, job: str, run_id: str, job_dir: str) -> None:
        """Tell every observer a run has started."""
        self.plugins.pm.hook.pypeline_job_start(job=job, run_id=run_id, job_dir=job_dir)

    def node_end(self, job: str, run_id: str, node_id: str, record: dict[str, Any]) -> None:
        """Tell every observer a module run (one iteration) has ended."""
        self.plugins.pm.hook.pypeline_node_end(
            job=job, run_id=run_id, node_id=node_id, record=record
        )

    def job_end(self, job: str, run_id: str, status: str, summary: dict[str, Any]) -> None:
        """Tell every observer the run has ended, after teardown."""
        self.plugins.pm.hook.pypeline_job_end(
            job=job, run_id=run_id, status=status, summary=summary
        )

    def _named(self, hook: str, what: str) -> dict[str, Any]:
        """Merge ``NAME -> thing`` answers; a name two distributions give is a usage error."""
        merged: dict[str, Any] = {}
        owner: dict[str, str] = {}
        for answer in self.answers(hook):
            if answer.error is not None:
                raise UsageError(
                    f"plugin '{answer.plugin}' ({answer.distribution}) failed in {hook}: "
                    f"{answer.error}"
                )
            for name, thing in dict(answer.value or {}).items():
                if name in merged and merged[name] is not thing:
                    raise UsageError(
                        f"{what} '{name}' is provided by two plugins: {owner[name]} and "
                        f"{_label(answer)}",
                        "uninstall one of them",
                    )
                merged[name], owner[name] = thing, _label(answer)
        return merged


def _label(answer: Answer) -> str:
    """The distribution, with the plugin's name when that says more (test or local plugins)."""
    if answer.plugin in (answer.distribution, "") or answer.plugin.startswith("pypeline."):
        return answer.distribution
    return f"{answer.distribution} (plugin '{answer.plugin}')"
