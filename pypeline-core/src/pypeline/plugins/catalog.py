"""The module catalog: every installed module by ``NAME``, with the distribution it came from.

Installed distributions are the registry (SPEC §2): the catalog asks each plugin's
``pypeline_modules`` hook in turn so it knows which distribution provides which name, refuses a
name provided twice, and reports a plugin whose hook raises instead of crashing.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from pypeline.plugins.facade import PluginHooks
from pypeline.plugins.plugins import BrokenPlugin, Plugins, get_plugins
from pypeline.sdk.base import MODULE_TYPES, BaseModule


@dataclass(frozen=True)
class CatalogEntry:
    """One installed module class and the distribution that provides it."""

    cls: type[BaseModule]
    distribution: str
    #: For a module of the local registry: the folder to put on ``sys.path`` to import it.
    sys_path: str | None = None


@dataclass
class Catalog:
    """Name → module class, plus the problems met while building it."""

    entries: dict[str, CatalogEntry] = field(default_factory=dict)
    conflicts: dict[str, list[str]] = field(default_factory=dict)
    broken: list[BrokenPlugin] = field(default_factory=list)

    def get(self, name: str) -> type[BaseModule] | None:
        entry = self.entries.get(name)
        return entry.cls if entry else None

    def suggest(self, name: str) -> str | None:
        """The closest installed module name, for 'did you mean' hints."""
        close = difflib.get_close_matches(name, list(self.entries), n=1, cutoff=0.6)
        return close[0] if close else None

    def errors(self) -> list[str]:
        """Conflicting names as one-line errors, each naming every distribution involved."""
        return [
            f"module name '{name}' is provided by more than one distribution: "
            + ", ".join(sorted(dists))
            for name, dists in sorted(self.conflicts.items())
        ]

    def add(self, cls: type[BaseModule], distribution: str, sys_path: str | None = None) -> None:
        name = cls.NAME
        if name in self.conflicts:
            self.conflicts[name].append(distribution)
        elif name in self.entries and self.entries[name].cls is not cls:
            self.conflicts[name] = [self.entries.pop(name).distribution, distribution]
        else:
            self.entries[name] = CatalogEntry(cls, distribution, sys_path)


def build_catalog(plugins: Plugins | None = None) -> Catalog:
    """Ask every plugin for its modules; keep each plugin's failures to itself."""
    plugins = plugins or get_plugins()
    catalog = Catalog(broken=list(plugins.broken))
    for answer in PluginHooks(plugins).modules():
        if answer.error is not None:
            catalog.broken.append(BrokenPlugin(answer.plugin, answer.distribution, answer.error))
            continue
        for cls in answer.value:
            problem = _shape_problem(cls)
            if problem:
                catalog.broken.append(BrokenPlugin(answer.plugin, answer.distribution, problem))
            else:
                catalog.add(cls, answer.distribution)
    _add_local_registry(catalog)
    return catalog


def _add_local_registry(catalog: Catalog) -> None:
    """Modules of ``.pypeline/registry.json``, after the entry points (SPEC §2)."""
    from pypeline.plugins.registry import REGISTRY, import_class, read_registry
    from pypeline.shared.errors import UsageError

    where = f"local registry ({REGISTRY})"
    try:
        entries = read_registry()
    except UsageError as exc:
        catalog.broken.append(BrokenPlugin("registry", where, str(exc)))
        return
    for name, entry in entries.items():
        try:
            cls = import_class(entry["module_path"], entry.get("sys_path"))
        except UsageError as exc:
            catalog.broken.append(BrokenPlugin(name, where, str(exc)))
            continue
        catalog.add(cls, where, entry.get("sys_path"))


def _shape_problem(cls: object) -> str | None:
    if not (isinstance(cls, type) and issubclass(cls, BaseModule)):
        return f"{cls!r} is not a BaseModule subclass"
    if not cls.NAME:
        return f"{cls.__qualname__} has no NAME"
    if cls.TYPE not in MODULE_TYPES:
        return f"{cls.NAME}: TYPE must be one of {', '.join(MODULE_TYPES)}, not {cls.TYPE!r}"
    return None
