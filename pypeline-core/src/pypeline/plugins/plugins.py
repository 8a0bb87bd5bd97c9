"""The plugin manager: built-ins registered like external plugins, entry points discovered.

Each entry point of group ``pypeline`` is loaded in its own try/except, so one broken pack is
reported with its distribution's name and never stops the others (simonw/llm#1280). Hook
implementations with unknown names are refused by ``check_pending`` instead of being ignored.
Nothing here runs at ``pype --help``: the CLI asks for plugins only in commands that need them.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from typing import Any

import pluggy

from pypeline import hookspecs

ENTRY_POINT_GROUP = "pypeline"
CORE_DISTRIBUTION = "pypeline-core"
#: The core's own plugins, imported by name so this layer imports neither phase.
DEFAULT_PLUGINS = (
    "pypeline.modules.builtin",
    "pypeline.expressions.plugin",
    "pypeline.build.plugin",
    "pypeline.run.plugin",
)


@dataclass(frozen=True)
class BrokenPlugin:
    """An entry point that failed to load, with the distribution that declared it."""

    name: str
    distribution: str
    error: str


@dataclass
class Plugins:
    """The loaded plugin manager plus what could not be loaded."""

    pm: pluggy.PluginManager
    broken: list[BrokenPlugin] = field(default_factory=list)
    distributions: dict[str, str] = field(default_factory=dict)

    def distribution_of(self, plugin: object) -> str:
        """The distribution that registered ``plugin`` (``pypeline-core`` for built-ins)."""
        name = self.pm.get_name(plugin) or ""
        return self.distributions.get(name, CORE_DISTRIBUTION)

    def describe(self) -> list[dict[str, Any]]:
        """Name, distribution, version and hooks of every plugin (``pype --version``)."""
        out = []
        for plugin in self.pm.get_plugins():
            dist = self.distribution_of(plugin)
            out.append(
                {
                    "name": self.pm.get_name(plugin),
                    "distribution": dist,
                    "version": _version(dist),
                    "hooks": sorted(h.name for h in self.pm.get_hookcallers(plugin) or []),
                }
            )
        return out


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "unknown"


def make_plugin_manager(entry_points: bool = True) -> Plugins:
    """Register the built-in plugins, then every installed entry point of group ``pypeline``."""
    pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    pm.add_hookspecs(hookspecs)
    for name in DEFAULT_PLUGINS:
        pm.register(importlib.import_module(name), name=name)
    pm.check_pending()
    plugins = Plugins(pm)
    if entry_points:
        for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
            _load_entry_point(plugins, ep)
    return plugins


def _load_entry_point(plugins: Plugins, ep: metadata.EntryPoint) -> None:
    dist = ep.dist.metadata["Name"] if ep.dist is not None else "unknown distribution"
    if plugins.pm.has_plugin(ep.name):
        return
    try:
        plugin = ep.load()
        plugins.pm.register(plugin, name=ep.name)
    except Exception as exc:  # a broken pack must not break the others
        plugins.broken.append(BrokenPlugin(ep.name, str(dist), f"{type(exc).__name__}: {exc}"))
        return
    try:
        plugins.pm.check_pending()  # a typo'd hook name is an error, not silence
        plugins.distributions[ep.name] = str(dist)
    except pluggy.PluginValidationError as exc:
        plugins.pm.unregister(plugin)
        plugins.broken.append(BrokenPlugin(ep.name, str(dist), f"{type(exc).__name__}: {exc}"))


@lru_cache(maxsize=1)
def get_plugins() -> Plugins:
    """The process's plugin manager, loaded on first use."""
    return make_plugin_manager()
