"""What went wrong talking to Vault, said in a user's words, without a credential in it.

hvac raises one exception class per HTTP status and requests one per network failure; a user
wants to know which of "Vault is not there", "Vault does not trust me", "my TLS setup is wrong"
and "the secret is not where I said" happened, and what to change. Messages are built here from
known text plus Vault's own ``errors`` list (which Vault writes for humans); any credential the
run holds is masked in that list anyway, and a response body is never quoted.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pypeline.sdk.secrets import SecretError
from pypeline_vault.options import VaultSettings

STATUS = {
    "InvalidRequest": 400,
    "Unauthorized": 401,
    "Forbidden": 403,
    "InvalidPath": 404,
    "RateLimitExceeded": 429,
    "InternalServerError": 500,
    "VaultNotInitialized": 501,
    "BadGateway": 502,
    "VaultDown": 503,
}


def explain(exc: Exception, settings: VaultSettings, doing: str) -> SecretError:
    """A ``SecretError`` for a failure while ``doing`` (e.g. ``"logging in with AppRole"``)."""
    import requests
    from hvac import exceptions as vault

    where = f"Vault at {settings.address}"
    if isinstance(exc, requests.exceptions.SSLError):
        return SecretError(
            f"TLS verification of {where} failed while {doing}: set VAULT_CACERT (or option "
            "ca_cert) to the CA that signed its certificate; VAULT_SKIP_VERIFY=true turns the "
            "check off"
        )
    if isinstance(exc, requests.exceptions.Timeout):
        return SecretError(f"{where} did not answer within {settings.timeout:g}s while {doing}")
    if isinstance(exc, requests.exceptions.ConnectionError):
        return SecretError(
            f"cannot reach {where} while {doing}: is it running, and are VAULT_ADDR "
            "(or option address) and the network right?"
        )
    if isinstance(exc, requests.exceptions.RequestException):
        return SecretError(
            f"cannot send a request to {where} ({type(exc).__name__}): check its URL"
        )
    if isinstance(exc, vault.VaultDown):
        return SecretError(f"{where} is sealed or unavailable (503) while {doing}")
    if isinstance(exc, vault.VaultError):
        status = STATUS.get(type(exc).__name__, "error")
        reasons = reasons_of(exc, settings)
        return SecretError(f"{where} refused {doing} ({status}{reasons})")
    return SecretError(f"{doing} failed ({type(exc).__name__})")


def reasons_of(exc: Any, settings: VaultSettings) -> str:
    """``": invalid role or secret ID"`` from Vault's ``errors`` list, credentials masked."""
    errors = getattr(exc, "errors", None)
    if not errors:
        return ""
    texts: Iterable[Any] = [errors] if isinstance(errors, str) else errors
    text = "; ".join(str(t) for t in texts if t)
    for credential in (settings.token, settings.secret_id):
        if credential and len(credential) >= 4:
            text = text.replace(credential, "***")
    return f": {text}" if text else ""


def token_refused(settings: VaultSettings) -> SecretError:
    """The token itself is not accepted: expired, revoked, wrong, or for another namespace."""
    where = f"Vault at {settings.address}"
    if settings.namespace:
        where += f" (namespace '{settings.namespace}')"
    method = settings.method
    if method == "token":
        source = "VAULT_TOKEN" if settings.token else settings.token_file
        return SecretError(
            f"{where} refused the token from {source} (403 permission denied): it is expired, "
            "revoked or not valid here; log in again (vault login) or set a fresh VAULT_TOKEN"
        )
    return SecretError(
        f"{where} refused the token its {method} login gave (403 permission denied): "
        "check the role's token policies and TTL"
    )
