"""The time and memory bound the expression tests hold every example to."""

from __future__ import annotations

import contextlib
import time
import tracemalloc
from collections.abc import Iterator


@contextlib.contextmanager
def within(seconds: float, peak_bytes: int) -> Iterator[None]:
    """Fail if the block takes ``seconds`` or more, or its Python allocations peak past
    ``peak_bytes`` (tracemalloc, which also slows the block: keep ``seconds`` generous)."""
    tracemalloc.start()
    started = time.monotonic()
    try:
        yield
    finally:
        elapsed = time.monotonic() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert elapsed < seconds, f"took {elapsed:.1f} s"
        assert peak < peak_bytes, f"peaked at {peak / 1e6:.0f} MB"
