"""One authenticated hvac client per run: token, AppRole or Kubernetes login.

Every option is passed to ``hvac.Client`` explicitly (token, TLS, namespace), so what the run
does is what ``options.read_options`` decided, not what hvac would guess from the environment
on its own. Renewal is not needed: a run is shorter than a token's TTL, and an expired token is
reported clearly instead (``failures.token_refused``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pypeline.sdk.secrets import SecretError
from pypeline_vault.failures import explain
from pypeline_vault.options import VaultSettings


def connect(settings: VaultSettings) -> Any:
    """An hvac client that has logged in with the configured method."""
    import hvac

    client = hvac.Client(
        url=settings.address,
        token="",  # not None: hvac would read VAULT_TOKEN and ~/.vault-token on its own
        cert=settings.cert,
        verify=settings.verify,
        timeout=settings.timeout,
        namespace=settings.namespace or None,
    )
    method = settings.method
    if method == "token":
        client.token = _token(settings)
        return client
    try:
        if method == "approle":
            _approle_login(client, settings)
        else:
            _kubernetes_login(client, settings)
    except SecretError:
        raise
    except Exception as exc:
        raise explain(exc, settings, f"logging in with {method}") from None
    return client


def _token(settings: VaultSettings) -> str:
    """``VAULT_TOKEN``, else the token file ``vault login`` writes (``~/.vault-token``)."""
    if settings.token:
        return settings.token.strip()
    path = Path(settings.token_file).expanduser()
    if path.is_file():
        token = _read(path, "the Vault token file")
        if token:
            return token
    raise SecretError(
        "no Vault token: set VAULT_TOKEN, log in with `vault login` (writes "
        f"{settings.token_file}), or use AppRole (VAULT_ROLE_ID) or Kubernetes "
        "(VAULT_KUBERNETES_ROLE) auth"
    )


def _approle_login(client: Any, settings: VaultSettings) -> None:
    if not settings.role_id:
        raise SecretError("AppRole auth needs a role id: set VAULT_ROLE_ID or option role_id")
    secret_id = settings.secret_id
    if not secret_id and settings.secret_id_file:
        secret_id = _read(Path(settings.secret_id_file).expanduser(), "the AppRole secret id file")
    client.auth.approle.login(
        role_id=settings.role_id,
        secret_id=secret_id or None,  # a role may be bound by CIDR alone, without a secret id
        mount_point=settings.auth_mount or "approle",
    )


def _kubernetes_login(client: Any, settings: VaultSettings) -> None:
    if not settings.kubernetes_role:
        raise SecretError(
            "Kubernetes auth needs a role: set VAULT_KUBERNETES_ROLE or option kubernetes_role"
        )
    jwt = _read(Path(settings.kubernetes_token_path), "the Kubernetes service-account token")
    client.auth.kubernetes.login(
        role=settings.kubernetes_role,
        jwt=jwt,
        mount_point=settings.auth_mount or "kubernetes",
    )


def _read(path: Path, what: str) -> str:
    """A credential file's content without its trailing newline; the error names the file."""
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise SecretError(f"cannot read {what} {str(path)!r}: {exc.strerror}") from None
