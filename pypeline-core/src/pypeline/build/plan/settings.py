"""The flow's settings with defaults applied (SPEC §4), as written to the execution metadata.

``threads`` stays ``None`` when the flow does not set it: the effective count is decided at run
time (CLI, ``PYPELINE_THREADS``, deployment file, flow, then ``os.cpu_count() * 2``), because the
machine that runs a job is not the one that built it.
"""

from __future__ import annotations

import copy
from typing import Any

from pypeline.shared.defaults import MAX_RAM_SHARE, SPILL_THRESHOLD_ROWS

DEFAULT_SETTINGS: dict[str, Any] = {
    "timeout": None,
    "retries": 0,
    "retry_delay": 1.0,
    "fail_strategy": "halt",
    "execution_mode": "pandas",
    "threads": None,
    "checkpoint": True,
    "artifacts": {
        "spill_threshold_rows": SPILL_THRESHOLD_ROWS,
        "max_ram_share": MAX_RAM_SHARE,
        "spill_dir": None,
    },
    "dask": {"address": None},
    # SPEC §3: no row is lost in silence. max_share None = rejects never fail a module.
    "rejects": {"max_share": None, "unconnected": "warn"},
}


def with_defaults(given: dict[str, Any] | None) -> dict[str, Any]:
    """Defaults overlaid with the flow's values, nested mappings merged key by key."""
    merged = copy.deepcopy(DEFAULT_SETTINGS)
    for key, value in (given or {}).items():
        if isinstance(merged.get(key), dict) and isinstance(value, dict):
            merged[key].update(value)
        else:
            merged[key] = value
    return merged


def contexts_with_inheritance(given: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    """``default`` always exists; every other context is ``default`` overlaid with its own."""
    given = given or {}
    default = dict(given.get("default") or {})
    out = {"default": default}
    for name, variables in given.items():
        if name != "default":
            out[name] = {**default, **(variables or {})}
    return out
