"""``pype run --show-config``: the effective settings of a run, and where each came from."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click


def print_config(job_dir: Path, options: Any) -> None:
    """One line per key: ``key = value   (source)``; the flow-only semantics after them."""
    from pypeline.run.deployment import FLOW_ONLY, effective_settings
    from pypeline.run.job import load_job

    job = load_job(job_dir)
    config = effective_settings(job.settings_given, options.cli_settings())
    width = max(len(key) for key in config)
    for key, setting in config.items():
        value = json.dumps(setting.value, default=str)
        click.echo(f"{key:<{width}} = {value:<24} ({setting.source})")
    for key in FLOW_ONLY:
        value = json.dumps(job.settings.get(key), default=str)
        click.echo(f"{key:<{width}} = {value:<24} (flow)")
