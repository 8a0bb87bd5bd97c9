"""A module's rendered configs checked once, by the engine, before its ``run`` (SPEC §3).

The build checked every literal value; a value written as a template is known only once it is
rendered, so the run checks it here with the same two rules (``CONFIG_SCHEMA`` types, then the
module's ``check_config`` on the whole rendered config) and the same words. A module's ``run``
trusts its config: no module re-checks it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pypeline.shared.config_types import own_checks, rendered_problems
from pypeline.shared.errors import FlowError

if TYPE_CHECKING:
    from pypeline.sdk.base import BaseModule


class ConfigError(ValueError):
    """A rendered config value the module cannot take: its node fails with this one line."""


def check_rendered_config(
    cls: type[BaseModule], node_id: str, config: dict[str, Any], *, where: str = ""
) -> None:
    """Raise ``ConfigError`` for the first problem of ``config``, located and one line long.

    The message reads ``<where>: module '<id>' (<name>): <key>: <message>``, as ``pype validate``
    words it; ``where`` is ``<job>.yaml:<line>`` when the job folder knows the node's line.
    """
    label = f"module '{node_id}' ({cls.NAME})"
    typed = rendered_problems(cls.CONFIG_SCHEMA, config)
    if typed:
        _, message, _ = typed[0]
        _raise(where, f"{label}: {message}")
    problems = own_checks(cls, config)
    if problems:
        key, message = problems[0]
        _raise(where, f"{label}: {key}: {message}")


def _raise(where: str, message: str) -> None:
    one_line = FlowError(where, 0, 0, message).message  # control characters escaped
    raise ConfigError(f"{where}: {one_line}" if where else one_line)


def flow_line(job: str, line: int) -> str:
    """``<job>.yaml:<line>``, where a node is defined in the job folder's copy of the flow."""
    return f"{job}.yaml:{line}" if line else ""
