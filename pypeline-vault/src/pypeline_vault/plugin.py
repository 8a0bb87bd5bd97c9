"""Entry point of the Vault pack: registers the ``vault`` secret resolver with PYpeline.

The resolver lands with the secrets issue; the plugin exists now so the pack installs, is
discovered through the ``pypeline`` entry-point group and shows in ``pype --version``.
"""

from __future__ import annotations

from typing import Any

from pypeline import hookimpl


@hookimpl
def pypeline_secret_resolvers() -> dict[str, Any]:
    """No resolver yet."""
    return {}
