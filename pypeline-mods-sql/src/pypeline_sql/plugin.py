"""Entry point of the SQL pack: registers its modules with PYpeline.

The modules land with the SQL issue; the plugin exists now so the pack installs, is discovered
through the ``pypeline`` entry-point group and shows in ``pype --version``.
"""

from __future__ import annotations

from pypeline import BaseModule, hookimpl


@hookimpl
def pypeline_modules() -> list[type[BaseModule]]:
    """No modules yet."""
    return []
