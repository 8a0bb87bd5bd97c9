"""Run one module the way the engine does, without a flow: for unit tests of modules.

The engine sets ``config`` (defaults applied) and hands a real ``RunContext``; this does the same
with a real thread pool, global store and a logger whose messages are kept, then materializes
every output port as pandas so tests compare rows, whatever the execution mode.
"""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from pypeline import BaseModule
from pypeline.sdk.memory_artifact import MemoryArtifact
from pypeline.testing import module_context, with_defaults

MODULE_ID = "f"
_loggers = itertools.count()


@dataclass
class ModuleRun:
    """What a test can see of one module run."""

    outputs: dict[str, Any]
    raw: dict[str, Any]
    globals: dict[str, Any]
    logs: list[str] = field(default_factory=list)


def run_module(
    module: type[BaseModule],
    config: dict[str, Any] | None = None,
    inputs: dict[str, pd.DataFrame] | None = None,
    mode: str = "pandas",
    partitions: int = 2,
    check: bool = True,
) -> ModuleRun:
    """Check and apply ``config`` like the build, run once in ``mode``, return outputs as pandas.

    In dask mode each input becomes a Dask frame of ``partitions`` partitions, so modules meet
    the multi-partition case a real run has. ``check=False`` skips ``check_config``, as the
    build does for a value that holds a template (rendered only at run time).
    """
    config = dict(config or {})
    problems = module.check_config(config) if check else []
    assert not problems, f"check_config refused the test's config: {problems}"
    instance = module()
    instance.config = with_defaults(module, config)
    artifacts = {port: _artifact(frame, mode, partitions) for port, frame in (inputs or {}).items()}
    with module_context(MODULE_ID, mode) as harness:
        raw = asyncio.run(instance.run(artifacts, harness.ctx))
    outputs = {port: materialize(value) for port, value in raw.items()}
    return ModuleRun(outputs, raw, harness.globals(), harness.logs)


def _artifact(frame: pd.DataFrame, mode: str, partitions: int) -> MemoryArtifact:
    if mode == "dask":
        import dask.dataframe as dd

        return MemoryArtifact(dd.from_pandas(frame, npartitions=partitions))  # type: ignore[no-untyped-call]
    return MemoryArtifact(frame)


def materialize(value: Any) -> Any:
    """A port's value as pandas: frames as they are, Dask computed, artifacts read."""
    if hasattr(value, "to_pandas"):
        return value.to_pandas()
    if type(value).__module__.startswith("dask"):
        return value.compute()
    return value


def rows(frame: pd.DataFrame) -> list[tuple[Any, ...]]:
    """The frame's rows as tuples with every kind of null as None: what a user compares."""
    plain = frame.astype(object)
    return list(plain.where(plain.notna(), None).itertuples(index=False, name=None))
