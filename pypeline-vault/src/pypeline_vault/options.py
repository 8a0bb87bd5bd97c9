"""The ``vault`` resolver's options: the flow's ``settings.secrets.vault``, else Vault's own
environment variables, else defaults.

The flow wins over the environment because it is the more specific statement, as with Vault's
Terraform provider; ``VAULT_ADDR`` and friends stay the way a deployment sets things the flow
leaves open. Credentials are the exception: ``VAULT_TOKEN`` and ``VAULT_SECRET_ID`` come from
the environment (or a file an option names) only, because the flow is copied into the job
folder and a credential written there would be persisted. Only the names are checked before
the run; the environment is read when the first ``vault:`` reference is resolved, so a stray
``VAULT_*`` variable cannot break a run that uses no Vault secret.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pypeline.sdk.secrets import SecretError

SERVICE_ACCOUNT_TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token"
AUTH_METHODS = ("token", "approle", "kubernetes")
CREDENTIALS = {"token": "VAULT_TOKEN", "secret_id": "VAULT_SECRET_ID"}


@dataclass(frozen=True)
class Option:
    """One option: its environment variable, default and kind (how its text is read)."""

    env: str | None
    default: Any
    kind: str = "text"


OPTIONS: dict[str, Option] = {
    "address": Option("VAULT_ADDR", "https://127.0.0.1:8200"),
    "namespace": Option("VAULT_NAMESPACE", None),
    "auth_method": Option("VAULT_AUTH_METHOD", None, "method"),
    "auth_mount": Option("VAULT_AUTH_MOUNT", None),
    "token_file": Option(None, "~/.vault-token"),
    "role_id": Option("VAULT_ROLE_ID", None),
    "secret_id_file": Option("VAULT_SECRET_ID_FILE", None),
    "kubernetes_role": Option("VAULT_KUBERNETES_ROLE", None),
    "kubernetes_token_path": Option("VAULT_KUBERNETES_TOKEN_PATH", SERVICE_ACCOUNT_TOKEN),
    "kv_version": Option("VAULT_KV_VERSION", 2, "kv"),
    "mounts": Option(None, {}, "mounts"),
    "ca_cert": Option("VAULT_CACERT", None),
    "ca_path": Option("VAULT_CAPATH", None),
    "client_cert": Option("VAULT_CLIENT_CERT", None),
    "client_key": Option("VAULT_CLIENT_KEY", None),
    "skip_verify": Option("VAULT_SKIP_VERIFY", False, "bool"),
    "timeout": Option("VAULT_CLIENT_TIMEOUT", 30.0, "seconds"),
}


@dataclass(frozen=True)
class VaultSettings:
    """The effective options of one run; credentials are kept out of ``repr``."""

    address: str = "https://127.0.0.1:8200"
    namespace: str | None = None
    auth_method: str | None = None
    auth_mount: str | None = None
    token_file: str = "~/.vault-token"
    role_id: str | None = None
    secret_id_file: str | None = None
    kubernetes_role: str | None = None
    kubernetes_token_path: str = SERVICE_ACCOUNT_TOKEN
    kv_version: int = 2
    mounts: dict[str, int] = field(default_factory=dict)
    ca_cert: str | None = None
    ca_path: str | None = None
    client_cert: str | None = None
    client_key: str | None = None
    skip_verify: bool = False
    timeout: float = 30.0
    token: str | None = field(default=None, repr=False)
    secret_id: str | None = field(default=None, repr=False)

    @property
    def method(self) -> str:
        """``auth_method`` when given, else what the other options imply, else ``token``."""
        if self.auth_method:
            return self.auth_method
        if self.role_id:
            return "approle"
        return "kubernetes" if self.kubernetes_role else "token"

    @property
    def verify(self) -> bool | str:
        """What requests verifies the server with: off only when asked, else a CA or True."""
        if self.skip_verify:
            return False
        return self.ca_cert or self.ca_path or True

    @property
    def cert(self) -> tuple[str, str | None] | None:
        return (self.client_cert, self.client_key) if self.client_cert else None


def read_options(
    given: Mapping[str, Any], environ: Mapping[str, str] | None = None
) -> VaultSettings:
    """The settings of a run; the first bad option is a ``SecretError`` naming its source."""
    environ = os.environ if environ is None else environ
    for name in given:
        if name in CREDENTIALS:
            raise SecretError(
                f"'{name}' is a credential and is never written in a flow; "
                f"set {CREDENTIALS[name]} or use {name}_file"
            )
        if name not in OPTIONS:
            close = difflib.get_close_matches(str(name), list(OPTIONS), n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"options: {', '.join(OPTIONS)}"
            raise SecretError(f"unknown option '{name}' ({hint})")
    values: dict[str, Any] = {}
    for name, option in OPTIONS.items():
        if given.get(name) is not None:
            values[name] = _convert(option.kind, given[name], f"option '{name}'")
        elif option.env and environ.get(option.env):
            values[name] = _convert(option.kind, environ[option.env], option.env)
        else:
            values[name] = option.default
    return VaultSettings(
        **values,
        token=environ.get("VAULT_TOKEN") or None,
        secret_id=environ.get("VAULT_SECRET_ID") or None,
    )


def _convert(kind: str, raw: Any, origin: str) -> Any:
    """An option's value as its kind wants it; text from the environment is parsed."""
    if kind == "text":
        if isinstance(raw, bool) or not isinstance(raw, str | int | float):
            raise SecretError(f"{origin} must be text")
        return str(raw)
    if kind == "method":
        if raw not in AUTH_METHODS:
            raise SecretError(f"{origin} must be one of {', '.join(AUTH_METHODS)}, not {raw!r}")
        return raw
    if kind == "kv":
        return _kv_version(raw, origin)
    if kind == "bool":
        return _boolean(raw, origin)
    if kind == "seconds":
        text = str(raw).strip().removesuffix("s")
        try:
            seconds = float(text)
        except ValueError:
            seconds = 0.0
        if isinstance(raw, bool) or seconds <= 0:
            raise SecretError(f"{origin} must be a number of seconds above 0, not {raw!r}")
        return seconds
    if not isinstance(raw, Mapping):
        raise SecretError(f"{origin} must map each mount path to its KV version (1 or 2)")
    return {str(m).strip("/"): _kv_version(v, f"{origin}.{m}") for m, v in raw.items()}


def _kv_version(raw: Any, origin: str) -> int:
    if str(raw).strip() in ("1", "2") and not isinstance(raw, bool | float):
        return int(str(raw).strip())
    raise SecretError(f"{origin} must be 1 or 2 (the KV secrets engine version), not {raw!r}")


def _boolean(raw: Any, origin: str) -> bool:
    """Vault's own reading of booleans (Go's ``strconv.ParseBool``), plus YAML's true/false."""
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in ("1", "t", "true", "yes", "on"):
        return True
    if text in ("0", "f", "false", "no", "off", ""):
        return False
    raise SecretError(f"{origin} must be true or false, not {raw!r}")


def check_flow_settings(plan: Any) -> list[Any]:
    """A plan validator: ``pype validate`` refuses bad ``settings.secrets.vault`` options."""
    given = ((plan.settings or {}).get("secrets") or {}).get("vault") or {}
    try:
        read_options(given, environ={})
    except SecretError as exc:
        return [plan.error("settings", f"settings.secrets.vault: {exc}")]
    return []
