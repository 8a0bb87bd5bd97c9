"""``sleep``: wait a number of seconds (Talend's tSleep)."""

from __future__ import annotations

import asyncio
from typing import Any

from pypeline.sdk.base import BaseModule
from pypeline.sdk.context import RunContext


class Sleep(BaseModule):
    """Pause the flow: give a remote system time, or pace a loop."""

    NAME = "sleep"
    TYPE = "solo"
    CATEGORY = "Orchestration"
    DESCRIPTION = """Wait for a number of seconds, then succeed (Talend's tSleep).

Useful to pace an ITERATE loop against a rate-limited API, or to give a remote system time
between two sub flows. The wait does not hold a thread: other branches keep running.
"""
    GLOBALS = ["slept_s"]
    CONFIG_SCHEMA = {
        "required": {
            "seconds": {"type": "float", "description": "How long to wait, in seconds (≥ 0)."}
        },
        "optional": {},
    }

    @classmethod
    def check_config(cls, config: dict[str, Any]) -> list[tuple[str, str]]:
        seconds = config.get("seconds")
        if isinstance(seconds, (int, float)) and seconds < 0:
            return [("seconds", f"must be ≥ 0, not {seconds}")]
        return []

    async def run(self, inputs: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
        seconds = float(self.config["seconds"])
        await asyncio.sleep(seconds)
        ctx.set_global("slept_s", seconds)
        return {}
