"""The pack's plugin: the module named by ``[project.entry-points.pypeline]``.

PYpeline imports it when it builds its module catalog and calls ``pypeline_modules``. The module
classes it imports keep pandas out of module scope, so this import stays cheap.
"""

from __future__ import annotations

from pypeline import BaseModule, hookimpl
from pypeline_example.flaky import Flaky
from pypeline_example.greet_source import GreetSource
from pypeline_example.upper_mod import UpperMod


@hookimpl
def pypeline_modules() -> list[type[BaseModule]]:
    """The modules of this pack; each ``NAME`` must be unique among installed packs."""
    return [GreetSource, UpperMod, Flaky]
