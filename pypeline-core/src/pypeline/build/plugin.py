"""The build's own plugin: the plan phase's validators, registered like an external plugin.

The plugin manager imports it by name (``plugins.DEFAULT_PLUGINS``), as tox 4 and datasette
load their built-ins, so the plugins layer never imports the build and the core eats its own
hooks.
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
