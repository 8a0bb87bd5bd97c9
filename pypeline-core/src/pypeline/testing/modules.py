"""Run one module the way the engine does, without a flow: the unit test of a module.

``run_module`` gives the module what a run would: its config with the schema's defaults
applied and checked by the engine's own check (``CONFIG_SCHEMA`` types, then ``check_config``),
inputs as artifacts, a real ``RunContext``, and the lifecycle ``setup`` → ``run`` → ``teardown``
on an event loop. In ``mode="dask"`` every pandas input becomes a Dask frame of ``partitions``
partitions, so a module meets the multi-partition case a real run has. What the run left — the
outputs (as returned, and as pandas), globals and log lines — comes back as a ``ModuleRun``.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pypeline.testing.context import module_context

if TYPE_CHECKING:
    import pandas as pd

    from pypeline.sdk.base import BaseModule
    from pypeline.sdk.context import RunContext


@dataclass(frozen=True)
class ModuleRun:
    """What one module run left: outputs, globals, log lines."""

    #: Port → what ``run`` returned for it: a pandas or Dask frame, an artifact, a list.
    outputs: dict[str, Any]
    #: Key → value of the globals the module set (``{{ <id>__<key> }}``), keys lower-cased.
    globals: dict[str, Any]
    #: Every message the module logged, in order.
    logs: list[str]
    #: The messages logged at WARNING or above.
    warnings: list[str]
    #: The run id the module saw (``ctx.run_id``).
    run_id: str
    #: Dask outputs, computed as the run ended (see ``frame``).
    computed: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    def frame(self, port: str = "data") -> pd.DataFrame:
        """The port's data as pandas with a fresh 0..n index.

        A Dask output was computed as the run ended, while its context was alive: the graph's
        errors and log lines are the module's, raised by ``run_module`` as a real run's next
        consumer would meet them. An artifact is read only now, so a test can first check that
        nothing converted it. The index is reset because a Dask compute leaves each partition's
        labels; rows and their order are what a user of the output sees.
        """
        if port in self.computed:
            return self.computed[port]
        value = self.outputs[port]
        frame = value.to_pandas() if hasattr(value, "to_pandas") else value
        return frame.reset_index(drop=True)


def run_module(
    module: type[BaseModule],
    config: dict[str, Any] | None = None,
    inputs: dict[str, Any] | None = None,
    mode: str = "pandas",
    *,
    module_id: str = "node",
    partitions: int = 2,
    run_id: str | None = None,
) -> ModuleRun:
    """Run ``module`` once as a node ``module_id`` of a run in ``mode``; return what it left.

    ``inputs`` maps an input port to a pandas or Dask frame or an artifact. A config the engine
    would refuse raises its ``ConfigError`` (one line, naming the module and key); an error of
    the module propagates as it would fail the node. ``run_id`` is a fresh one, as every run
    has; ``run_id=""`` runs the module outside any run (no resume bookkeeping).
    """
    from pypeline.run.execution.config_check import check_rendered_config
    from pypeline.sdk.artifact import is_dask

    rendered = with_defaults(module, config or {})
    check_rendered_config(module, module_id, rendered)
    instance = module()
    instance.config = rendered
    artifacts = {port: as_artifact(v, mode, partitions) for port, v in (inputs or {}).items()}
    with module_context(module_id, mode, uuid.uuid4().hex if run_id is None else run_id) as kept:
        outputs = asyncio.run(lifecycle(instance, artifacts, kept.ctx)) or {}
        computed = {
            port: v.compute().reset_index(drop=True) for port, v in outputs.items() if is_dask(v)
        }
    return ModuleRun(
        outputs=outputs,
        globals=kept.globals(),
        logs=kept.messages(),
        warnings=kept.messages(logging.WARNING),
        run_id=kept.ctx.run_id,
        computed=computed,
    )


def with_defaults(module: type[BaseModule], config: dict[str, Any]) -> dict[str, Any]:
    """The config the engine would set: the optional keys' defaults, then ``config``."""
    optional = module.CONFIG_SCHEMA.get("optional", {})
    merged = {key: spec["default"] for key, spec in optional.items() if "default" in spec}
    merged.update(config)
    return merged


def as_artifact(value: Any, mode: str, partitions: int) -> Any:
    """An input as the engine hands it: an artifact as it is, a frame in a ``MemoryArtifact``."""
    from pypeline.sdk.artifact import is_dask
    from pypeline.sdk.memory_artifact import MemoryArtifact

    if hasattr(value, "to_frame"):
        return value
    if mode == "dask" and not is_dask(value):
        import dask.dataframe as dd

        from_pandas: Any = dd.from_pandas  # dask leaves it unannotated
        value = from_pandas(value, npartitions=partitions)
    return MemoryArtifact(value)


async def lifecycle(
    instance: BaseModule, inputs: dict[str, Any], ctx: RunContext
) -> dict[str, Any]:
    """``setup``, ``run``, then ``teardown`` whatever ``run`` did: one module's part of a run."""
    await instance.setup(ctx)
    try:
        return await instance.run(inputs, ctx)
    finally:
        await instance.teardown(ctx)


def rows(frame: pd.DataFrame) -> list[tuple[Any, ...]]:
    """The frame's rows as tuples with every kind of null as None: what a user compares."""
    plain = frame.astype(object)
    return list(plain.where(plain.notna(), None).itertuples(index=False, name=None))
