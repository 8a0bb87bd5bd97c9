"""Deployment configuration (SPEC §9): the same job on a laptop and in production.

Infrastructure keys come from, highest first: a CLI option, an environment variable, the
deployment file (``pypeline.toml`` in the working directory, or the file ``PYPELINE_CONFIG``
names), the flow's ``settings``, built-in defaults. The flow alone decides its semantics
(``execution_mode``, ``fail_strategy``, ``retries``, ``timeout``, ``checkpoint``): a deployment
file that sets one of them is refused rather than silently ignored.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypeline.run.execution.threads import default_threads
from pypeline.shared.defaults import MAX_RAM_SHARE, SPILL_THRESHOLD_ROWS
from pypeline.shared.errors import UsageError

DEPLOYMENT_FILE = "pypeline.toml"
FLOW_ONLY = ("execution_mode", "fail_strategy", "retries", "retry_delay", "timeout", "checkpoint")
#: key → (environment variable, type, built-in default)
KEYS: dict[str, tuple[str | None, type, Any]] = {
    "threads": ("PYPELINE_THREADS", int, None),
    "scheduler": ("PYPELINE_SCHEDULER", str, "priority_dfs"),
    "artifacts.backend": ("PYPELINE_ARTIFACT_BACKEND", str, "auto"),
    "artifacts.spill_dir": ("PYPELINE_SPILL_DIR", str, None),
    "artifacts.spill_threshold_rows": ("PYPELINE_SPILL_THRESHOLD_ROWS", int, SPILL_THRESHOLD_ROWS),
    "artifacts.max_ram_share": ("PYPELINE_MAX_RAM_SHARE", float, MAX_RAM_SHARE),
    "dask.address": ("PYPELINE_DASK_ADDRESS", str, None),
    "dask.workers": ("PYPELINE_DASK_WORKERS", int, None),
    "log.format": ("PYPELINE_LOG_FORMAT", str, "console"),
    "log.file": ("PYPELINE_LOG_FILE", str, None),
}
#: key → (lowest, highest) allowed, inclusive; None = unbounded.
RANGES: dict[str, tuple[float | None, float | None]] = {
    "threads": (1, None),
    "dask.workers": (1, None),
    "artifacts.spill_threshold_rows": (0, None),
    "artifacts.max_ram_share": (0.01, 1.0),
}
#: key → allowed values; ``artifacts.backend`` is any installed backend (``_choices``).
CHOICES = {"log.format": ("console", "json")}


@dataclass(frozen=True)
class Setting:
    """An effective value and where it came from (``pype run --show-config``)."""

    value: Any
    source: str


def deployment_file() -> Path | None:
    """``PYPELINE_CONFIG`` when set (it must exist), else ``./pypeline.toml`` if present."""
    named = os.environ.get("PYPELINE_CONFIG")
    if named:
        if not Path(named).is_file():
            raise UsageError(f"PYPELINE_CONFIG names a file that does not exist: {named}")
        return Path(named)
    local = Path.cwd() / DEPLOYMENT_FILE
    return local if local.is_file() else None


def effective_settings(flow: dict[str, Any], cli: dict[str, Any]) -> dict[str, Setting]:
    """Every infrastructure key with its value and source; ``secrets.<scheme>`` merged too."""
    path = deployment_file()
    file_values = _read(path) if path else {}
    out: dict[str, Setting] = {}
    for key, (env, kind, default) in KEYS.items():
        out[key] = _pick(key, env, kind, default, cli, file_values, flow, path)
    if out["threads"].value is None:
        out["threads"] = Setting(default_threads(), "default (cpu count × 2)")
    for scheme in sorted({*(flow.get("secrets") or {}), *(file_values.get("secrets") or {})}):
        merged = {**(flow.get("secrets") or {}).get(scheme, {})}
        merged.update((file_values.get("secrets") or {}).get(scheme, {}))
        source = "deployment file" if scheme in (file_values.get("secrets") or {}) else "flow"
        out[f"secrets.{scheme}"] = Setting(merged, source)
    return out


def _pick(
    key: str,
    env: str | None,
    kind: type,
    default: Any,
    cli: dict[str, Any],
    file_values: dict[str, Any],
    flow: dict[str, Any],
    path: Path | None,
) -> Setting:
    if cli.get(key) is not None:
        return Setting(_check(key, cli[key], kind, "option"), "command line")
    if env and os.environ.get(env):
        return Setting(_check(key, os.environ[env], kind, env), f"environment ({env})")
    found, value = _lookup(file_values, key)
    if found:
        return Setting(_check(key, value, kind, str(path)), f"deployment file ({path})")
    found, value = _lookup(flow, key)
    if found and value is not None:
        return Setting(_check(key, value, kind, "flow settings"), "flow settings")
    return Setting(default, "default")


def _lookup(values: dict[str, Any], key: str) -> tuple[bool, Any]:
    head, _, tail = key.partition(".")
    if not tail:
        return (head in values, values.get(head))
    inner = values.get(head)
    return (isinstance(inner, dict) and tail in inner, (inner or {}).get(tail))


def _check(key: str, value: Any, kind: type, where: str) -> Any:
    try:
        converted = kind(value) if not isinstance(value, bool) else None
    except (TypeError, ValueError):
        converted = None
    if converted is None or converted != converted:  # NaN is no number of anything
        raise UsageError(f"{key} from {where} must be {kind.__name__}, not {value!r}")
    low, high = RANGES.get(key, (None, None))
    if (low is not None and converted < low) or (high is not None and converted > high):
        bounds = f"at least {low}" if high is None else f"between {low} and {high}"
        raise UsageError(f"{key} from {where} must be {bounds}, not {value!r}")
    choices = _choices(key)
    if choices is not None and converted not in choices:
        raise UsageError(f"{key} from {where} must be one of {', '.join(choices)}")
    return converted


def _choices(key: str) -> tuple[str, ...] | None:
    """The allowed values of ``key``: a plugin may add artifact backends, so ask the plugins."""
    if key == "artifacts.backend":
        from pypeline.plugins.facade import PluginHooks

        return PluginHooks().backend_names()
    return CHOICES.get(key)


def _read(path: Path) -> dict[str, Any]:
    try:
        values = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: {exc}") from None
    for key in values:
        if key in FLOW_ONLY:
            raise UsageError(
                f"{path}: '{key}' is decided by the flow, not by the deployment",
                "set it in the flow's settings",
            )
        if key not in {k.split(".")[0] for k in KEYS} | {"secrets"}:
            raise UsageError(f"{path}: unknown key '{key}'")
    return values


def secret_options(config: dict[str, Setting]) -> dict[str, Any]:
    """``{scheme: options}`` for ``secret_resolvers``, from the merged ``secrets.*`` keys."""
    return {k.split(".", 1)[1]: s.value for k, s in config.items() if k.startswith("secrets.")}
