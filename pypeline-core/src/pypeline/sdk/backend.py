"""What an artifact backend pack implements (``pypeline_artifact_backends``, SPEC §2).

A backend is what ``artifacts.backend = NAME`` (deployment setting, ``PYPELINE_ARTIFACT_BACKEND``)
selects. The run needs only three things of it, so that is the whole interface: the class is
built once per run with the ``artifacts.*`` options and the run's ``on_spill`` event callback,
every module output goes through ``register(frame, name)`` (which returns a ``DataArtifact`` the
next modules read), and ``cleanup()`` is called once when the run ends, whatever its status.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

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
