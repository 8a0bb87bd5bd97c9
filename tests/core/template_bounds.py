"""Shared by the template-limit tests: a templater with a small context, and ``refusal``, which
asserts a hostile template fails fast, in bounded memory, with one line."""

from __future__ import annotations

import time
import tracemalloc
from typing import Any

import pytest

from pypeline.run.templater.templater import TemplateFailure, Templater

SECONDS, BYTES = 2.0, 200_000_000
TEXT = "too large (limit 1,000,000 characters)"
BITS = "too large (limit 4,096 bits)"
ITEMS = "too large (limit 100,000 items)"


def make(render_seconds: float | None = None) -> Templater:
    def lookup(frame: str, module_id: str, key: str) -> Any:
        raise KeyError(key)

    context = {"min_age": 18, "tags": ["a", "b"], "base": "/data"}
    return Templater(context, {"id": "r1", "job": "j"}, lookup, render_seconds=render_seconds)


def refusal(template: str, templater: Templater | None = None) -> str:
    """The one-line error ``template`` fails with, within the time and memory bounds."""
    templater = templater or make()
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(TemplateFailure) as info:
            templater.render(template)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    elapsed = time.monotonic() - started
    assert elapsed < SECONDS, f"took {elapsed:.1f} s"
    assert peak < BYTES, f"peaked at {peak / 1e6:.0f} MB"
    message = str(info.value)
    assert message.startswith("template ") and "\n" not in message
    return message
