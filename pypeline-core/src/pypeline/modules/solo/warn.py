"""``warn``: log a warning and carry on (Talend's tWarn)."""

from __future__ import annotations

from typing import Any

from pypeline.sdk.base import BaseModule
from pypeline.sdk.context import RunContext


class Warn(BaseModule):
    """Leave a visible mark in the run log without failing anything."""

    NAME = "warn"
    TYPE = "solo"
    CATEGORY = "Logs & Errors"
    DESCRIPTION = """Log a message at WARNING level and succeed (Talend's tWarn).

The message appears in the console and in `log.jsonl` as a `log` event of level WARNING,
with the node id; it is also published as the global `message`.
"""
    GLOBALS = ["message"]
    CONFIG_SCHEMA = {
        "required": {
            "message": {"type": "str", "description": "The warning text (templates allowed)."}
        },
        "optional": {},
    }

    async def run(self, inputs: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
        message = str(self.config["message"])
        ctx.logger.warning(message)
        ctx.set_global("message", message)
        return {}
