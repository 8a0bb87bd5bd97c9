"""The artifact backend interface and the core's three backends: ``auto``, ``memory``, ``parquet``.

A backend is what ``artifacts.backend = NAME`` (deployment setting, ``PYPELINE_ARTIFACT_BACKEND``)
selects from ``pypeline_artifact_backends``. The run needs only three things of it, so that is
the whole interface: it is built once per run with the ``artifacts.*`` options and the run's
``on_spill`` event callback, every module output goes through ``register(frame, name)`` (which
returns a ``DataArtifact`` the next modules read), and ``cleanup()`` is called once when the run
ends, whatever its status. The core's backends are the run's ``ArtifactManager`` with a fixed
spill policy, so they behave exactly as the policy table did before backends were pluggable.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from pypeline.run.artifacts.artifact import ArtifactManager

if TYPE_CHECKING:
    from pypeline.sdk.artifact import DataArtifact

#: The run's spill announcement: ``{"message", "rows", "uri", "name"}`` → a ``spill`` event.
OnSpill = Callable[[dict[str, Any]], None]


class ArtifactBackend(Protocol):
    """What the run asks of an artifact backend class and its instance."""

    def __init__(self, options: dict[str, Any], on_spill: OnSpill | None = None) -> None:
        """``options``: ``spill_dir``, ``spill_threshold_rows``, ``max_ram_share`` (may be None)."""

    def register(self, obj: Any, name: str = "") -> DataArtifact:
        """Store one module output (a pandas or Dask frame, or an artifact); return its handle."""
        ...

    def cleanup(self) -> None:
        """Release whatever the run stored; called once at the end of every run."""


class AutoBackend(ArtifactManager):
    """``auto``: in RAM while small and RAM is free, spilled to Parquet otherwise."""

    POLICY: ClassVar[dict[str, Any]] = {}

    def __init__(self, options: dict[str, Any], on_spill: OnSpill | None = None) -> None:
        super().__init__({**options, **self.POLICY}, on_spill=on_spill)


class MemoryBackend(AutoBackend):
    """``memory``: every output stays in RAM (thresholds no run reaches)."""

    POLICY: ClassVar[dict[str, Any]] = {"spill_threshold_rows": 2**62, "max_ram_share": 2.0}


class ParquetBackend(AutoBackend):
    """``parquet``: every output is spilled to a local Parquet file."""

    POLICY: ClassVar[dict[str, Any]] = {"spill_threshold_rows": 0}


BUILTIN: dict[str, type[ArtifactBackend]] = {
    "auto": AutoBackend,
    "memory": MemoryBackend,
    "parquet": ParquetBackend,
}
