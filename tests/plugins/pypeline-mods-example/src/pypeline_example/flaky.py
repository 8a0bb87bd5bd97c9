"""``flaky``: fails its first N runs, then succeeds; leaves a trace of its life cycle.

A stand-in for a flaky remote system, for trying out ``retries``. Each call appends a line to
``<trace_dir>/trace.txt`` (``setup``, ``run``, ``teardown``), so a test can see that the engine
set it up once, ran it so many times, and always tore it down, even when interrupted.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from pypeline import BaseModule, RunContext


class Flaky(BaseModule):
    """Fail ``failures`` times, then succeed; optionally take ``seconds`` per run."""

    NAME = "flaky"
    TYPE = "solo"
    VERSION = "0.1.0"
    CATEGORY = "Examples"
    DESCRIPTION = """\
Fails its first `failures` runs with "flaky: failure N of M", then succeeds. Every setup,
run and teardown is appended to `<trace_dir>/trace.txt`."""
    GLOBALS = ["attempt"]
    CONFIG_SCHEMA = {
        "required": {
            "trace_dir": {"type": "str", "description": "Folder of the trace file."},
        },
        "optional": {
            "failures": {"type": "int", "default": 1, "description": "Runs that fail first."},
            "seconds": {"type": "float", "default": 0.0, "description": "Time each run takes."},
        },
    }

    def _trace(self, what: str) -> int:
        path = Path(self.config["trace_dir"]) / "trace.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as out:
            out.write(what + "\n")
        return path.read_text(encoding="utf-8").splitlines().count("run")

    async def setup(self, ctx: RunContext) -> None:
        self._trace("setup")

    async def teardown(self, ctx: RunContext) -> None:
        self._trace("teardown")

    async def run(self, inputs: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
        attempt = self._trace("run")
        ctx.set_global("attempt", attempt)
        await asyncio.sleep(float(self.config["seconds"]))
        failures = int(self.config["failures"])
        if attempt <= failures:
            raise RuntimeError(f"flaky: failure {attempt} of {failures}")
        return {}
