"""``fail``: stop with an error message (Talend's tDie)."""

from __future__ import annotations

from typing import Any

from pypeline.sdk.base import BaseModule
from pypeline.sdk.context import RunContext


class FlowFailure(Exception):
    """Raised by ``fail``: the message is the user's, shown as the module's error."""


class Fail(BaseModule):
    """Make the sub flow fail on purpose, usually behind a condition."""

    NAME = "fail"
    TYPE = "solo"
    CATEGORY = "Logs & Errors"
    DESCRIPTION = """Fail the sub flow with a message (Talend's tDie).

Put it behind a conditional control connection to stop a job when a check does not hold, e.g.
`check (1|{{ src__row_count }} == 0) stop` with `stop` a `fail` module. Its error edges run,
then the fail strategy decides what happens to the rest of the job.
"""
    CONFIG_SCHEMA = {
        "required": {},
        "optional": {
            "message": {
                "type": "str",
                "default": "the flow was stopped by a fail module",
                "description": "The error message (templates allowed).",
            }
        },
    }

    async def run(self, inputs: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
        raise FlowFailure(str(self.config["message"]))
