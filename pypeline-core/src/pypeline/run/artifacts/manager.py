"""``ArtifactManager``: decides where each module output lives, RAM or local Parquet.

The seed's storage policy: an output stays in memory while it is small (rows ≤
``spill_threshold_rows``) and the process has RAM to spare (RSS below ``max_ram_share`` of the
machine); otherwise it is spilled to Parquet in the run's spill directory, so one huge
intermediate result does not take the whole run down. Spills are announced through ``on_spill``
(the run turns it into a ``spill`` event) and deleted by ``cleanup()`` when the run finishes.
"""

from __future__ import annotations

import inspect
import itertools
import logging
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from pypeline.run.artifacts.parquet import ParquetArtifact
from pypeline.run.artifacts.ram import ram_share
from pypeline.sdk.artifact import is_dask
from pypeline.sdk.memory_artifact import MemoryArtifact
from pypeline.shared.defaults import MAX_RAM_SHARE, SPILL_THRESHOLD_ROWS

if TYPE_CHECKING:
    import dask.dataframe as dd

    from pypeline.sdk.artifact import DataArtifact

# The members of ``pypeline.DataArtifact``. Checked with ``inspect.getattr_static`` because on
# Python 3.11 ``isinstance(obj, DataArtifact)`` evaluates properties: ``n_rows`` would compute a
# Dask frame just to ask whether the object is an artifact.
_ARTIFACT_MEMBERS = ("to_pandas", "to_dask", "to_frame", "n_rows", "uri")

_log = logging.getLogger(__name__)


def is_artifact(obj: Any) -> bool:
    """True when ``obj`` has the shape of a ``DataArtifact``, without evaluating any property."""
    return all(
        inspect.getattr_static(obj, member, None) is not None for member in _ARTIFACT_MEMBERS
    )


def estimate_dask_rows(ddf: dd.DataFrame) -> int:
    """Rows of a Dask frame, estimated as partitions x rows of the first partition.

    The seed's ``ddf.size // len(ddf.columns)`` is lazy: evaluating it runs the frame's whole
    graph (every upstream read and transform), and a frame kept in memory would then be
    computed again downstream. Computing only the first partition costs a 1/N slice of that.
    Uneven partitions make it an estimate; it is exact for a single partition, and the exact
    count of a spilled frame is read from its Parquet footers afterwards.
    """
    return int(ddf.npartitions) * len(ddf.partitions[0])


class ArtifactManager:
    """Policy-driven store for module outputs; one per run, shared by all its threads."""

    def __init__(
        self,
        config: dict[str, Any] | None = None,
        on_spill: Callable[[dict[str, Any]], None] | None = None,
    ) -> None:
        """``config`` keys: ``spill_threshold_rows``, ``max_ram_share``, ``spill_dir``.

        A configured ``spill_dir`` is the *parent* of the run's own ``pypeline_*`` directory,
        made on first spill: concurrent runs sharing one configured location never collide, and
        ``cleanup()`` removes only what this manager created. Other keys (e.g. ``backend``) are
        ignored here so the whole ``artifacts`` table can be passed as it is.
        """
        cfg = dict(config or {})
        self.spill_threshold_rows = int(cfg.get("spill_threshold_rows", SPILL_THRESHOLD_ROWS))
        self.max_ram_share = float(cfg.get("max_ram_share", MAX_RAM_SHARE))
        base = cfg.get("spill_dir")
        self._spill_parent = Path(base).expanduser() if base else None
        self._on_spill = on_spill
        self._lock = threading.Lock()
        self._spill_dir: Path | None = None
        self._spilled: list[ParquetArtifact] = []
        self._seq = itertools.count(1)

    @property
    def spill_dir(self) -> Path | None:
        """The run's spill directory, or None while nothing has been spilled."""
        return self._spill_dir

    def register(self, obj: Any, name: str = "") -> DataArtifact:
        """Store a module output and return its artifact.

        An existing artifact is adopted unchanged. A pandas frame kept in memory is wrapped,
        never copied. ``name`` (the node id and port, say) names the spill file and the event.
        """
        if is_artifact(obj):
            return cast("DataArtifact", obj)
        if is_dask(obj):
            over_ram = self._over_ram()
            spill = over_ram or estimate_dask_rows(obj) > self.spill_threshold_rows
        else:
            import pandas as pd

            if not isinstance(obj, pd.DataFrame):
                raise TypeError(
                    f"cannot store a {type(obj).__name__} output: expected a pandas or Dask "
                    "DataFrame, or a DataArtifact"
                )
            spill = len(obj) > self.spill_threshold_rows or self._over_ram()
        if not spill:
            return MemoryArtifact(obj, name)
        return self._spill(obj, name)

    def cleanup(self) -> None:
        """Delete every spilled artifact and the spill directory this manager created."""
        with self._lock:
            spilled, self._spilled = self._spilled, []
            spill_dir, self._spill_dir = self._spill_dir, None
        for art in spilled:
            art.release()
        if spill_dir is not None:
            shutil.rmtree(spill_dir, ignore_errors=True)

    def _over_ram(self) -> bool:
        return ram_share() >= self.max_ram_share

    def _spill(self, frame: Any, name: str) -> ParquetArtifact:
        try:
            return self._spill_to_disk(frame, name)
        except (OSError, ValueError) as exc:
            where = self._spill_dir or self._spill_parent or "the spill folder"
            raise OSError(f"spilling {name or 'an output'} to {where} failed: {exc}") from exc

    def _spill_to_disk(self, frame: Any, name: str) -> ParquetArtifact:
        with self._lock:
            if self._spill_dir is None:
                if self._spill_parent is not None:
                    self._spill_parent.mkdir(parents=True, exist_ok=True)
                self._spill_dir = _new_spill_dir(self._spill_parent)
            spill_dir = self._spill_dir
            seq = next(self._seq)
        # The write runs outside the lock: other threads may register while it does its I/O.
        art = ParquetArtifact.write(frame, spill_dir, f"{seq:04d}_{name or 'artifact'}")
        with self._lock:
            self._spilled.append(art)
        rows = len(frame) if not is_dask(frame) else art.n_rows
        event = {
            "message": f"spill to parquet at {art.uri}",
            "rows": rows,
            "uri": art.uri,
            "name": name,
        }
        if self._on_spill is not None:
            self._on_spill(event)
        else:
            _log.info(event["message"])
        return art


def _new_spill_dir(parent: Path | None) -> Path:
    """The run's own spill folder, tracked before it exists: a killed run's is swept later."""
    from pypeline.sdk.temporaries import temporary_name, track_temporary

    base = parent if parent is not None else Path(tempfile.gettempdir())
    folder = base / temporary_name("pypeline", "spill")
    track_temporary(str(folder))
    folder.mkdir(mode=0o700)
    return folder
