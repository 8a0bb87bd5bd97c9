"""Fixtures of the files pack's tests: run one module as the engine would, in either mode.

``run_module`` builds a real ``RunContext`` (thread pool, global store, logger), sets the
module's config with the schema's defaults applied, wraps the input frames in
``MemoryArtifact`` and runs ``module.run`` with ``asyncio.run``. Tests then look at what a user
would: output frames, files on disk, globals, error text.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pytest

from pypeline import BaseModule
from pypeline.run.execution.globals import GlobalStore
from pypeline.sdk.memory_artifact import MemoryArtifact
from pypeline.testing import module_context, with_defaults

MODES = ["pandas", "dask"]


@dataclass
class ModuleRun:
    """What one module run produced."""

    outputs: dict[str, Any]
    store: GlobalStore
    module_id: str

    def frame(self, port: str) -> pd.DataFrame:
        """The port's frame as pandas (a Dask frame is computed), with a fresh 0..n index."""
        value = self.outputs[port]
        if hasattr(value, "compute"):
            value = value.compute()
        elif not isinstance(value, pd.DataFrame):  # an artifact, as csv_source returns
            value = value.to_pandas()
        return value.reset_index(drop=True)

    def global_(self, key: str) -> Any:
        """A global as templates see it (``{{ <id>__<key> }}``), read through the store."""
        return self.store.get("", self.module_id, key)


def _run_module(
    module_cls: type[BaseModule],
    config: dict[str, Any],
    *,
    mode: str = "pandas",
    inputs: dict[str, Any] | None = None,
    module_id: str = "node",
) -> ModuleRun:
    module = module_cls()
    module.config = with_defaults(module_cls, config)
    artifacts = {
        port: frame if hasattr(frame, "to_frame") else MemoryArtifact(frame)  # frame or artifact
        for port, frame in (inputs or {}).items()
    }
    with module_context(module_id, mode) as harness:
        outputs = asyncio.run(module.run(artifacts, harness.ctx))
    store = harness.store
    return ModuleRun(outputs, store, module_id)


@pytest.fixture
def run_module() -> Callable[..., ModuleRun]:
    """``run_module(ModuleClass, config, mode=..., inputs={port: frame})`` → ``ModuleRun``."""
    return _run_module


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
