"""``pype run --show-config``: the effective settings of a run, and where each came from.

What is printed is for a person at a terminal, or a CI log that keeps it forever, so credentials
are masked (SPEC §6: never in output): a resolver option under ``secrets`` whose name says it is
one (``CREDENTIAL_WORDS``), the password of a URL (``https://user:pw@host``), and any value the
command's redactor knows as a secret. Only the printout is masked; the run reads the settings
themselves.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import click

MASK = "***"
#: An option under ``secrets`` whose name contains one of these holds a credential. AppRole's
#: ``role_id`` is masked too: it is only half of a login, but the other half is often beside it.
CREDENTIAL_WORDS = (
    "token",
    "password",
    "passwd",
    "pwd",
    "secret",
    "jwt",
    "key",
    "credential",
    "passphrase",
    "role_id",
    "private",
)
#: ...unless its name ends like this: then it names where the credential is, not what it is
#: (``token_file``, ``secret_id_file``, ``kubernetes_token_path``), and a path helps a reader.
LOCATION_ENDINGS = ("_file", "_path", "_dir")
_URL_PASSWORD = re.compile(r"(?P<head>[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@]*:)[^/\s@]+@")


def print_config(job_dir: Path, options: Any) -> None:
    """One line per key: ``key = value   (source)``; the flow-only semantics after them."""
    from pypeline.run.deployment import FLOW_ONLY, effective_settings
    from pypeline.run.observe.redact import current_redactor
    from pypeline.shared.jobfolder.jobfolder import load_job

    job = load_job(job_dir)
    config = effective_settings(job.settings_given, options.cli_settings())
    redact = current_redactor()
    width = max(len(key) for key in config)
    for key, setting in config.items():
        value = json.dumps(shown(key, setting.value), default=str)
        click.echo(redact(f"{key:<{width}} = {value:<24} ({setting.source})"))
    for key in FLOW_ONLY:
        value = json.dumps(shown(key, job.settings.get(key)), default=str)
        click.echo(redact(f"{key:<{width}} = {value:<24} (flow)"))


def shown(key: str, value: Any) -> Any:
    """``value`` of setting ``key`` as ``--show-config`` prints it, credentials masked.

    Under ``secrets.*`` (resolver options) every option named like a credential is masked,
    at any depth; everywhere, a password inside a URL is.
    """
    secrets = key == "secrets" or key.startswith("secrets.")
    return _masked(value, secrets)


def is_credential(name: str) -> bool:
    """Whether a resolver option called ``name`` holds a credential (see ``CREDENTIAL_WORDS``)."""
    lowered = str(name).lower().replace("-", "_")
    if lowered.endswith(LOCATION_ENDINGS):
        return False
    return any(word in lowered for word in CREDENTIAL_WORDS)


def _masked(value: Any, secrets: bool) -> Any:
    if isinstance(value, dict):
        return {
            name: MASK if secrets and is_credential(name) and item else _masked(item, secrets)
            for name, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [_masked(item, secrets) for item in value]
    if isinstance(value, str):
        return _URL_PASSWORD.sub(lambda m: f"{m['head']}{MASK}@", value)
    return value
