"""What a user can say about one run (CLI options), and the effective values derived from it.

Precedence for infrastructure keys (SPEC §9): CLI option, environment variable, the flow's
settings, built-in default. Context variables: the chosen context file, then ``--set``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from pypeline.run.checkpoint.opening import Inputs
from pypeline.shared.errors import UsageError
from pypeline.shared.jobfolder.model import Job


@dataclass(frozen=True)
class RunOptions:
    """Options of ``pype run``."""

    #: None when not given: a resume then takes the context of the run it continues.
    context: str | None = None
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


def asked_inputs(options: RunOptions) -> Inputs | None:
    """The context and ``--set`` values the user asked for; None when neither was given."""
    if options.context is None and not options.overrides:
        return None
    overrides: dict[str, str] = {}
    for item in options.overrides:
        key, sep, raw = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise UsageError(f"--set takes KEY=VALUE, not {item!r}")
        overrides[key] = raw
    return Inputs(options.context or "default", overrides)


def context_variables(job: Job, inputs: Inputs) -> dict[str, Any]:
    """The chosen context's variables (``default`` inherited at build), then ``--set``."""
    if inputs.context not in job.contexts:
        raise UsageError(
            f"unknown context '{inputs.context}'",
            f"contexts of {job.name}: {', '.join(job.contexts)}",
        )
    path = job.context_file(inputs.context)
    try:
        variables: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(
            f"job folder is incomplete: {path} is missing", "rebuild it with: pype build FLOW.yaml"
        ) from None
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read the context file {path}: {exc}") from None
    for key, raw in inputs.overrides.items():
        if key not in variables:
            known = ", ".join(sorted(variables)) or "none"
            raise UsageError(
                f"--set {key}: no such variable in context '{inputs.context}'",
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
