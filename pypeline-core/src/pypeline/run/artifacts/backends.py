"""The core's three artifact backends: ``auto``, ``memory``, ``parquet`` (``sdk.backend``).

The core's backends are the run's ``ArtifactManager`` with a fixed
spill policy, so they behave exactly as the policy table did before backends were pluggable.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pypeline.run.artifacts.manager import ArtifactManager
from pypeline.sdk.backend import ArtifactBackend, OnSpill


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
