"""``greet_source``: a source that makes one greeting per name.

The smallest useful source: no input port, one output port, options with defaults, and a global
that later modules and templates read as ``{{ <id>__row_count }}``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pypeline import BaseModule, RunContext

if TYPE_CHECKING:
    import pandas as pd


class GreetSource(BaseModule):
    """Emit a frame with columns ``name`` and ``message`` (``"<greeting>, <name>!"``)."""

    NAME = "greet_source"
    TYPE = "source"
    VERSION = "0.1.0"
    CATEGORY = "Examples"
    DESCRIPTION = """\
Makes one row per name with the columns `name` and `message`, where message is
"<greeting>, <name>!".

Example: `names: [Ada, Grace]`, `greeting: Hi` gives the rows (Ada, "Hi, Ada!") and
(Grace, "Hi, Grace!").

Ports: `data` (output). Global: `row_count`, the number of rows made."""
    OUTPUT_PORTS = ["data"]
    GLOBALS = ["row_count"]
    CONFIG_SCHEMA = {
        "required": {},
        "optional": {
            "names": {
                "type": "list",
                "default": ["Ada", "Grace"],
                "description": "The names to greet, one row each, in this order.",
            },
            "greeting": {
                "type": "str",
                "default": "Hello",
                "description": "The word before each name, e.g. Hi or Bonjour.",
            },
        },
    }

    @classmethod
    def check_config(cls, config: dict[str, Any]) -> list[tuple[str, str]]:
        """Refuse names that are not text at build time, not halfway through a run."""
        names = config.get("names", [])
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            return [("names", f"must be a list of names (text), not {names!r}")]
        return []

    async def run(self, inputs: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
        names = [str(n) for n in self.config["names"]]
        frame = await ctx.executor.run_in_thread(_greetings, names, str(self.config["greeting"]))
        ctx.set_global("row_count", len(frame))
        ctx.logger.info("greeted %d name(s)", len(frame))
        return {"data": frame}


def _greetings(names: list[str], greeting: str) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame({"name": names, "message": [f"{greeting}, {n}!" for n in names]})
