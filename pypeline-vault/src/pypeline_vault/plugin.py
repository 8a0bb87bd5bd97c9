"""Entry point of the Vault pack: the ``vault`` secret resolver and a check of its options.

Nothing heavy is imported here: hvac and requests load when the first ``vault:`` reference is
resolved, so ``pype --help`` and flows without Vault secrets never pay for them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from pypeline import hookimpl


@hookimpl
def pypeline_secret_resolvers() -> dict[str, Any]:
    """``vault:<mount>/<path>#<key>[@<version>]``; a new resolver (client, cache) per run."""
    from pypeline_vault.resolver import VaultResolver

    return {"vault": VaultResolver()}


@hookimpl
def pypeline_validators() -> list[Callable[[Any], Iterable[Any]]]:
    """``pype validate`` refuses unknown or mistyped ``settings.secrets.vault`` options."""
    from pypeline_vault.options import check_flow_settings

    return [check_flow_settings]
