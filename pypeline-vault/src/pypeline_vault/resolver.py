"""``VaultResolver``: ``secret("vault:<mount>/<path>#<key>[@<version>]")`` read with hvac.

Where a reference points, decided here:

- The **mount** is the first segment of the path (``secret`` in ``secret/data/warehouse``),
  unless option ``mounts`` names a longer mount path that the reference starts with
  (``mounts: {team/kv: 2}`` for a mount at ``team/kv``).
- The **KV version** is that mount's entry in ``mounts``, else option ``kv_version`` (default 2).
- In KV v2 the API path's ``data/`` segment may be written or left out: ``secret/data/warehouse``
  (the API form) and ``secret/warehouse`` (the ``vault kv get`` form) name the same secret.
- ``#key@3`` reads version 3 of a KV v2 secret; KV v1 has no versions, so a pin there is refused.

One resolver lives for one run (the hook makes a new one per run): one client, one login, and
one read per secret however many keys or modules use it. Values that are not text (numbers,
booleans, nested objects) are given as their JSON text.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pypeline.sdk.secrets import SecretError, SecretResolver
from pypeline_vault.client import connect
from pypeline_vault.failures import explain, token_refused
from pypeline_vault.options import VaultSettings, read_options

VERSION_RE = re.compile(r"(?P<key>.+)@(?P<version>\d+)")


@dataclass(frozen=True)
class Location:
    """Where one reference points: mount, path inside it, KV version, key, pinned version."""

    mount: str
    path: str
    kv: int
    key: str
    version: int | None

    @property
    def shown(self) -> str:
        return f"{self.mount}/{self.path}" + (f" (version {self.version})" if self.version else "")


class VaultResolver(SecretResolver):
    """The ``vault`` scheme; options come from ``settings.secrets.vault`` via ``configure``."""

    def __init__(self) -> None:
        self._given: dict[str, Any] = {}
        self._settings: VaultSettings | None = None
        self._client: Any = None
        self._secrets: dict[tuple[str, str, int, int | None], dict[str, Any]] = {}
        self._lock = threading.Lock()

    def configure(self, options: Mapping[str, Any]) -> None:
        """Check the flow's options now (names, kinds); the environment is read at first use."""
        read_options(options, environ={})
        self._given = dict(options)

    def resolve(self, path: str, key: str | None) -> str:
        """The value of ``key`` in the secret at ``path``."""
        with self._lock:
            if self._settings is None:
                self._settings = read_options(self._given)
            where = locate(path, key, self._settings)
            data = self._read(where, self._settings)
        if where.key not in data:
            keys = ", ".join(sorted(map(str, data))) or "none"
            raise SecretError(
                f"the secret at {where.shown} has no key {where.key!r} (keys: {keys})"
            )
        value = data[where.key]
        return value if isinstance(value, str) else json.dumps(value)

    def _read(self, where: Location, settings: VaultSettings) -> dict[str, Any]:
        cache_key = (where.mount, where.path, where.kv, where.version)
        if cache_key in self._secrets:
            return self._secrets[cache_key]
        if self._client is None:
            self._client = connect(settings)
        from hvac import exceptions as vault

        try:
            data = _fetch(self._client, where)
        except SecretError:
            raise
        except vault.Forbidden:
            raise self._forbidden(where, settings) from None
        except vault.InvalidPath:
            raise SecretError(_not_found(where)) from None
        except Exception as exc:
            raise explain(exc, settings, f"reading {where.shown}") from None
        self._secrets[cache_key] = data
        return data

    def _forbidden(self, where: Location, settings: VaultSettings) -> SecretError:
        """A 403 is either a dead token or a live one without a policy; lookup-self tells."""
        from hvac import exceptions as vault

        try:
            self._client.auth.token.lookup_self()
        except vault.Forbidden:
            return token_refused(settings)
        except Exception:
            pass
        return SecretError(
            f"permission denied (403) reading {where.shown}: the token's policies do not allow it"
        )


def locate(path: str, key: str | None, settings: VaultSettings) -> Location:
    """Split a reference into mount, path, KV version, key and version (see the module doc)."""
    if key is None:
        raise SecretError("a Vault reference names a key: 'vault:<mount>/<path>#<key>'")
    pinned = VERSION_RE.fullmatch(key)
    name, version = (pinned["key"], int(pinned["version"])) if pinned else (key, None)
    clean = path.strip("/")
    mounts = sorted(settings.mounts, key=len, reverse=True)
    mount = next((m for m in mounts if clean == m or clean.startswith(m + "/")), None)
    mount = mount or clean.split("/", 1)[0]
    kv = settings.mounts.get(mount, settings.kv_version)
    inner = clean[len(mount) :].strip("/")
    if kv == 2 and inner.startswith("data/"):
        inner = inner[len("data/") :]
    if not inner:
        raise SecretError(f"'{path}' names the mount '{mount}', not a secret in it")
    if version is not None and kv == 1:
        raise SecretError(
            f"'@{version}' pins a version, but mount '{mount}' is read as KV v1, which has no "
            "versions (set kv_version: 2, or mounts: {" + mount + ": 2})"
        )
    if version == 0:
        raise SecretError("versions start at 1: '@0' pins nothing")
    return Location(mount, inner, kv, name, version)


def _fetch(client: Any, where: Location) -> dict[str, Any]:
    if where.kv == 2:
        answer = client.secrets.kv.v2.read_secret_version(
            path=where.path,
            mount_point=where.mount,
            version=where.version,
            raise_on_deleted_version=True,
        )
        data = answer.get("data", {}).get("data") if isinstance(answer, dict) else None
    else:
        answer = client.secrets.kv.v1.read_secret(path=where.path, mount_point=where.mount)
        data = answer.get("data") if isinstance(answer, dict) else None
    if not isinstance(data, dict):
        raise SecretError(f"Vault's answer for {where.shown} holds no key-value data")
    return data


def _not_found(where: Location) -> str:
    """404: nothing there, or the mount's KV version is not the one the reference was read as."""
    other = 1 if where.kv == 2 else 2
    return (
        f"Vault has no secret at {where.shown} (404; read as KV v{where.kv}: if mount "
        f"'{where.mount}' is KV v{other}, set kv_version: {other} or "
        f"mounts: {{{where.mount}: {other}}} in settings.secrets.vault)"
    )
