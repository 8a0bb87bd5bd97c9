"""``RunRecorder``: the run's event log, ``<job>/runs/<run_id>/log.jsonl`` (SPEC §8).

Every event becomes one JSON object per line, whatever the console shows, so a run can always be
audited and parsed afterwards. Each line is one ``os.write`` of the whole line: a killed run
keeps what it logged, and a resumed run appends to the same file. A write that fails (a full
disk) is cut back to the last whole line, so the file never ends torn; the recorder stops
writing that file and keeps the error, which ends the run as failed with one line
(``RecordsError``), not a logging traceback. The console gets the same line (``json``), a
short readable line (``console``) or nothing (``quiet``). Everything is redacted first.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from pypeline.run.observe.console import render_line
from pypeline.run.observe.redact import Redactor

CONSOLE_MODES = ("console", "json", "quiet")
_BASE_KEYS = ("ts", "level", "event", "job", "run_id")
_FIELDS_ATTR = "pypeline_fields"


def utc_timestamp() -> str:
    """Now as ISO-8601 UTC with milliseconds, e.g. ``2024-05-01T12:00:01.123Z``."""
    now = datetime.now(UTC).isoformat(timespec="milliseconds")
    return now.replace("+00:00", "Z")


class _RecordHandler(logging.Handler):
    """Turns a module's stdlib log records into ``event="log"`` lines of the run record."""

    def __init__(self, recorder: RunRecorder) -> None:
        super().__init__(level=logging.NOTSET)
        self._recorder = recorder

    def emit(self, record: logging.LogRecord) -> None:
        try:
            fields = dict(getattr(record, _FIELDS_ATTR, {}))
            if record.exc_info and record.exc_info[1] is not None:
                exc = record.exc_info[1]
                fields.setdefault("error", f"{type(exc).__name__}: {exc}")
            self._recorder.event(
                "log", level=record.levelname, message=record.getMessage(), **fields
            )
        except Exception:
            self.handleError(record)


_PLAIN = (str, int, float, bool)


class RecordsError(Exception):
    """The run's records could not be written (a full disk): the run fails, exit 1."""

    exit_code = 1


def check_log_file(path: Path) -> None:
    """Refuse a log file that cannot be written before the run starts (exit 2)."""
    os.close(_open_append(path))


def _open_append(path: Path) -> int:
    """An append descriptor, or a one-line usage error naming the file (exit 2)."""
    from pypeline.shared.errors import UsageError

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    except OSError as exc:
        raise UsageError(f"cannot write the log file {path}: {exc.strerror}") from None


class RunRecorder:
    """Writes the run's events to ``log.jsonl``, an optional log file and the console."""

    def __init__(
        self,
        job: str,
        run_id: str,
        run_dir: Path,
        console: str = "console",
        log_file: Path | None = None,
        redactor: Redactor | None = None,
        stream: TextIO | None = None,
    ) -> None:
        if console not in CONSOLE_MODES:
            raise ValueError(f"console must be one of {', '.join(CONSOLE_MODES)}, not {console!r}")
        self.job = job
        self.run_id = run_id
        self.run_dir = Path(run_dir)
        self.console = console
        self.redactor = redactor if redactor is not None else Redactor()
        self.stream: TextIO = stream if stream is not None else sys.stderr
        self.log_path = self.run_dir / "log.jsonl"
        self._lock = threading.Lock()
        self._files: dict[Path, int] = {}
        self._closed = False
        #: The first write error, e.g. "cannot write ...: No space left on device".
        self.write_error: str | None = None
        for path in [self.log_path] + ([Path(log_file)] if log_file else []):
            self._files[path] = _open_append(path)
        self._logger = logging.getLogger(f"pypeline.run.{run_id}")
        self._logger.propagate = False
        self._logger.setLevel(logging.INFO)
        self._handler = _RecordHandler(self)
        self._logger.addHandler(self._handler)

    def event(self, event: str, level: str = "INFO", **fields: Any) -> None:
        """Record one event: ``ts``, ``level``, ``event``, ``job``, ``run_id``, then ``fields``.

        None values are dropped, so a line holds only what applies to it; fields named like a
        base key are ignored (the recorder owns those). Every string is redacted.
        """
        base = {"ts": utc_timestamp(), "level": level.upper(), "event": event}
        base |= {"job": self.job, "run_id": self.run_id}
        extra = {k: v for k, v in fields.items() if v is not None and k not in _BASE_KEYS}
        record: dict[str, Any] = {**base, **extra}
        if self.redactor.active or any(not isinstance(v, _PLAIN) for v in extra.values()):
            record = self.redactor.scrub(record)  # the fast path skips it in a 10,000-step loop
        line = json.dumps(record, ensure_ascii=False, default=str)
        with self._lock:
            if self._closed:
                raise RuntimeError(f"run recorder of {self.run_id} is closed")
            data = (line + "\n").encode("utf-8")
            for path, fd in list(self._files.items()):
                self._write(path, fd, data)
            self._to_console(record, line)

    def logger_for(self, node_id: str, **fields: Any) -> logging.LoggerAdapter[logging.Logger]:
        """A stdlib logger for one module run; its records become ``event="log"`` lines.

        ``node_id`` and ``fields`` (``module``, ``sub_flow``, ``iter_index``...) are attached
        to every line, so a module just calls ``ctx.logger.info("...")``.
        """
        extra = {_FIELDS_ATTR: {"node_id": node_id, **fields}}
        return logging.LoggerAdapter(self._logger, extra)

    def close(self) -> None:
        """Detach the logger and close the files; closing twice is harmless."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._logger.removeHandler(self._handler)
            for fd in self._files.values():
                os.close(fd)
            self._files.clear()

    def _write(self, path: Path, fd: int, data: bytes) -> None:
        """One whole line, or nothing: a failed write is cut back and the file given up."""
        size = os.fstat(fd).st_size
        try:
            if os.write(fd, data) == len(data):
                return
            error = "the disk is full (short write)"
        except OSError as exc:
            error = exc.strerror or str(exc)
        with contextlib.suppress(OSError):
            os.ftruncate(fd, size)
        os.close(fd)
        del self._files[path]
        if self.write_error is None:
            self.write_error = f"cannot write the run records to {path}: {error}"

    def _to_console(self, record: dict[str, Any], line: str) -> None:
        if self.console == "quiet":
            return
        text = line if self.console == "json" else render_line(record)
        if text is None:
            return
        try:
            self.stream.write(text + "\n")
        except UnicodeEncodeError:
            # A console that cannot show the marks (a legacy Windows code page) gets '?'s.
            encoding = getattr(self.stream, "encoding", None) or "ascii"
            self.stream.write(text.encode(encoding, "replace").decode(encoding) + "\n")
        self.stream.flush()
