"""``example_recording``: a plugin artifact backend, as small as the interface allows.

Selected by ``artifacts.backend = "example_recording"`` (or ``PYPELINE_ARTIFACT_BACKEND``). It
keeps every output in RAM like the core's ``memory`` backend, and when
``PYPELINE_EXAMPLE_BACKEND_LOG`` names a file it appends one line per call there
(``register <name> <rows>``, ``cleanup``), so a test can see the run used it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any


class StoredFrame:
    """A pandas frame held in RAM, with the members of ``pypeline.DataArtifact``."""

    def __init__(self, frame: Any, name: str) -> None:
        self._frame, self._name = frame, name

    def to_pandas(self) -> Any:
        return self._frame

    def to_dask(self) -> Any:
        import dask.dataframe as dd

        return dd.from_pandas(self._frame, npartitions=1)

    def to_frame(self, mode: str) -> Any:
        return self.to_dask() if mode == "dask" else self._frame

    @property
    def n_rows(self) -> int:
        return len(self._frame)

    @property
    def uri(self) -> str:
        return f"example://{self._name}"


class RecordingBackend:
    """Built once per run with the ``artifacts.*`` options; the options are not needed here."""

    def __init__(
        self, options: dict[str, Any], on_spill: Callable[[dict[str, Any]], None] | None = None
    ) -> None:
        self._log = os.environ.get("PYPELINE_EXAMPLE_BACKEND_LOG")

    def register(self, obj: Any, name: str = "") -> Any:
        if hasattr(obj, "to_frame"):  # already an artifact: hand it on unchanged
            return obj
        if hasattr(obj, "compute"):  # a Dask frame: this tiny backend keeps pandas only
            obj = obj.compute()
        art = StoredFrame(obj, name)
        self._write(f"register {name} {art.n_rows}")
        return art

    def cleanup(self) -> None:
        self._write("cleanup")

    def _write(self, line: str) -> None:
        if self._log:
            with open(self._log, "a", encoding="utf-8") as out:
                out.write(line + "\n")
