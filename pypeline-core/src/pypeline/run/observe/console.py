"""What a person watching ``pype run`` sees: one short line per event, a table at the end.

Plain text on purpose (no rich): it must read the same in a terminal, a CI log and a file, and
the machine-readable record is ``log.jsonl`` anyway. Both renderers take the already-redacted
records, so nothing printed here can carry a secret that the log did not.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pypeline.run.observe.summary import STATUSES

_NOISY_LEVELS = ("WARNING", "ERROR", "CRITICAL")
_MODULE_MARKS = {"success": "✓", "failed": "✗", "skipped": "⤼ skipped", "restored": "↺ restored"}


def _clock(ts: Any) -> str:
    """The event's time as local ``HH:MM:SS``: a person reads the console in their time zone."""
    try:
        return datetime.fromisoformat(str(ts)).astimezone().strftime("%H:%M:%S")
    except ValueError:
        return datetime.now().strftime("%H:%M:%S")


def _rows(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else "-"


def _seconds(value: Any) -> str:
    return f"{value:.2f}" if isinstance(value, int | float) else "-"


def _module_end(rec: Mapping[str, Any]) -> str:
    status = str(rec.get("status", "success"))
    parts = [f"{_MODULE_MARKS.get(status, status)} {rec.get('node_id', '?')}"]
    if status == "failed":
        parts.append(f"error: {rec.get('error') or rec.get('message') or 'failed'}")
    elif status == "success":
        if "rows_in" in rec:
            parts.append(f"rows in {_rows(rec['rows_in'])}")
        if "rows_out" in rec:
            parts.append(f"rows out {_rows(rec['rows_out'])}")
        if "duration_s" in rec:
            parts.append(f"{_seconds(rec['duration_s'])}s")
    return "  ".join(parts)


def _body(rec: Mapping[str, Any]) -> str | None:
    """The text after the clock, or None for events the console leaves to ``log.jsonl``."""
    event = rec.get("event")
    level = str(rec.get("level", "INFO"))
    message = rec.get("message") or rec.get("error") or ""
    if event == "job_start":
        return f"● job {rec.get('job')}  run {rec.get('run_id')}"
    if event == "subflow_start":
        return f"▶ subflow {rec.get('sub_flow')}"
    if event == "module_end":
        return _module_end(rec)
    if event == "subflow_skipped":
        return f"⤼ skipped subflow {rec.get('sub_flow')}" + (f"  {message}" if message else "")
    if event == "subflow_end" and rec.get("status") == "failed":
        return f"✗ subflow {rec.get('sub_flow')} failed" + (f": {message}" if message else "")
    if event == "retry":
        return f"↻ retry {rec.get('node_id') or rec.get('sub_flow') or ''}" + (
            f": {message}" if message else ""
        )
    if event == "spill":
        rows = f" ({_rows(rec['rows'])} rows)" if "rows" in rec else ""
        return f"⇣ {message}{rows}"
    if event == "log":
        prefix = f"{level} " if level in _NOISY_LEVELS else ""
        return f"  {prefix}{rec.get('node_id', '')}: {message}"
    if level in _NOISY_LEVELS:
        return f"! {level} {event}: {message}"
    return None


def render_line(record: Mapping[str, Any]) -> str | None:
    """One console line for a run-record event (e.g. ``12:00:02 ✓ source_csv  rows out 7  0.01s``).

    Returns None for bookkeeping events (``module_start``, ``checkpoint``, a successful
    ``subflow_end``, ``job_end``: the final table says it) unless they are warnings or errors,
    which are always shown.
    """
    body = _body(record)
    return None if body is None else f"{_clock(record.get('ts'))} {body}"


def _closing_line(summary: Mapping[str, Any], n_nodes: int) -> str:
    counts: Mapping[str, Any] = summary.get("counts") or {}
    named = [f"{counts[s]} {s}" for s in STATUSES if counts.get(s)]
    named += [f"{n} {s}" for s, n in counts.items() if s not in STATUSES and n]
    detail = f"{n_nodes} node{'' if n_nodes == 1 else 's'}" + (
        ": " + ", ".join(named) if named else ""
    )
    duration = _seconds(summary.get("duration_s"))
    return f"job {summary.get('job')}: {summary.get('status')} in {duration}s ({detail})"


def render_table(summary: Mapping[str, Any]) -> str:
    """The end-of-run table: one aligned row per node, then a one-line verdict.

    Numbers are right-aligned with thousands separators; a value a node does not have (a
    source's rows in, a skipped node's time) shows as ``-``.
    """
    header = ("node", "module", "status", "rows in", "rows out", "rejected", "seconds")
    nodes: Mapping[str, Mapping[str, Any]] = summary.get("nodes") or {}
    rows = [
        (
            node_id,
            str(rec.get("module", "-")),
            str(rec.get("status", "-")),
            _rows(rec.get("rows_in")),
            _rows(rec.get("rows_out")),
            _rows(rec.get("rows_rejected")),
            _seconds(rec.get("duration_s")),
        )
        for node_id, rec in nodes.items()
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: tuple[str, ...]) -> str:
        text = [
            cell.rjust(width) if i >= 3 else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(text).rstrip()

    out = [line(header), line(tuple("-" * w for w in widths))]
    out += [line(row) for row in rows]
    out.append(_closing_line(summary, len(rows)))
    return "\n".join(out)
