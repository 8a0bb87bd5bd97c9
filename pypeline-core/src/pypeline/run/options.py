"""What a user can say about one run (CLI options), and the effective values derived from it.

Precedence for infrastructure keys (SPEC §9): CLI option, environment variable, the flow's
settings, built-in default. Context variables: the chosen context file, then ``--set``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from pypeline.build.errors import UsageError
from pypeline.run.job import Job


@dataclass(frozen=True)
class RunOptions:
    """Options of ``pype run``."""

    context: str = "default"
    overrides: tuple[str, ...] = ()
    threads: int | None = None
    log_format: str | None = None
    log_file: str | None = None
    quiet: bool = False
    resume: bool = False
    fresh: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def cli_settings(self) -> dict[str, Any]:
        """The deployment keys this run's options set (the highest precedence, SPEC §9)."""
        return {"threads": self.threads, "log.format": self.log_format, "log.file": self.log_file}


def context_variables(job: Job, options: RunOptions) -> dict[str, Any]:
    """The chosen context's variables (``default`` inherited at build), then ``--set``."""
    if options.context not in job.contexts:
        raise UsageError(
            f"unknown context '{options.context}'",
            f"contexts of {job.name}: {', '.join(job.contexts)}",
        )
    variables: dict[str, Any] = json.loads(
        job.context_file(options.context).read_text(encoding="utf-8")
    )
    for item in options.overrides:
        key, sep, raw = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise UsageError(f"--set takes KEY=VALUE, not {item!r}")
        if key not in variables:
            known = ", ".join(sorted(variables)) or "none"
            raise UsageError(
                f"--set {key}: no such variable in context '{options.context}'",
                f"variables: {known}",
            )
        variables[key] = _scalar(raw)
    return variables


def _scalar(raw: str) -> Any:
    """``--set n=5`` gives an int, ``--set on=true`` a bool, anything else the text itself."""
    import yaml  # only when --set is used: keeps it off every run's start-up

    try:
        value = yaml.safe_load(raw)
    except yaml.YAMLError:
        return raw
    return value if isinstance(value, (int, float, bool, str)) or value is None else raw
