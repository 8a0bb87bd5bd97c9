"""Fixtures of the files pack's tests: both execution modes, an in-memory filesystem.

Modules run through ``pypeline.testing.run_module``, as the engine would run them; tests then
look at what a user would: output frames, files on disk, globals, error text.
"""

from __future__ import annotations

from typing import Any

import pytest

MODES = ["pandas", "dask"]


@pytest.fixture(params=MODES)
def mode(request: pytest.FixtureRequest) -> str:
    """Run the test in both execution modes."""
    return str(request.param)


@pytest.fixture
def memory_fs() -> Any:
    """fsspec's in-memory filesystem, emptied after the test."""
    import fsspec

    fs = fsspec.filesystem("memory")
    yield fs
    for path in fs.ls("/", detail=False):
        fs.rm(path, recursive=True)
