"""The pack's plugin: the module named by ``[project.entry-points.pypeline]``.

PYpeline imports it when it builds its module catalog and calls ``pypeline_modules``; a run asks
it for ``pypeline_artifact_backends`` too, and an expression for ``pypeline_expression_functions``. The classes it imports keep pandas out of module
scope, so this import stays cheap.
"""

from __future__ import annotations

import os
import time
from typing import Any

from pypeline import BaseModule, hookimpl
from pypeline.sdk.functions import ExpressionFunction
from pypeline_example.backend import RecordingBackend
from pypeline_example.flaky import Flaky
from pypeline_example.functions import INITIALS
from pypeline_example.greet_source import GreetSource
from pypeline_example.upper_mod import UpperMod


@hookimpl
def pypeline_modules() -> list[type[BaseModule]]:
    """The modules of this pack; each ``NAME`` must be unique among installed packs."""
    return [GreetSource, UpperMod, Flaky]


@hookimpl
def pypeline_artifact_backends() -> dict[str, type]:
    """``example_recording``: outputs in RAM, each one noted in a file (see ``backend.py``)."""
    return {"example_recording": RecordingBackend}


@hookimpl
def pypeline_expression_functions() -> dict[str, ExpressionFunction]:
    """``initials(s)``, usable in any expression once this pack is installed."""
    return {INITIALS.name: INITIALS}


@hookimpl
def pypeline_job_end(job: str, run_id: str, status: str, summary: dict[str, Any]) -> None:
    """For kill-window tests: ``PYPELINE_EXAMPLE_PAUSE_AT_JOB_END=<s>`` holds the process here,
    after the run has ended and before it exits, so a test can SIGKILL it in that window."""
    pause = os.environ.get("PYPELINE_EXAMPLE_PAUSE_AT_JOB_END")
    if pause:
        print(f"paused at job_end of {run_id}", flush=True)
        time.sleep(float(pause))
