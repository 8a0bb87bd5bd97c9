"""Fixtures of the Vault pack's tests: a running fake Vault, a clean environment, a resolver.

``tests/vault`` is a package (``__init__.py``) so this conftest is imported as
``vault.conftest`` and never shadows the plain ``conftest`` other test folders import from.

Every test starts without any ``VAULT_*`` variable and with ``HOME`` in its temp folder, so a
developer's own Vault login (``VAULT_TOKEN``, ``~/.vault-token``) can neither help nor leak.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pypeline.testing import resolve_secret
from pypeline_vault.resolver import VaultResolver

from .fake_vault import TOKEN, FakeVault


@pytest.fixture(autouse=True)
def clean_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No VAULT_* variables, ``HOME`` in the temp folder, loopback not proxied."""
    for name in list(os.environ):
        if name.startswith("VAULT_"):
            monkeypatch.delenv(name)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    return home


@pytest.fixture
def vault() -> Iterator[FakeVault]:
    """A fake Vault over plain HTTP with a root token and a KV v2 mount ``secret``."""
    with FakeVault() as fake:
        fake.add_token(TOKEN)
        fake.put_kv2("secret", "warehouse", {"user": "etl", "password": "first-Pa55word-v1"})
        fake.put_kv2("secret", "warehouse", {"user": "etl", "password": "W4rehouse-s3cret-pw"})
        yield fake


@pytest.fixture
def token_env(vault: FakeVault, monkeypatch: pytest.MonkeyPatch) -> FakeVault:
    """``VAULT_ADDR`` and ``VAULT_TOKEN`` pointing at the fake, as after ``vault login``."""
    monkeypatch.setenv("VAULT_ADDR", vault.url)
    monkeypatch.setenv("VAULT_TOKEN", TOKEN)
    return vault


@pytest.fixture
def resolve() -> Callable[..., str]:
    """``resolve(reference, **options)``: one run's ``secret()`` with a configured resolver."""

    def _resolve(reference: str, resolver: VaultResolver | None = None, **options: Any) -> str:
        resolver = resolver or VaultResolver()
        resolver.configure(options)
        return resolve_secret(reference, {"vault": resolver})

    return _resolve


@pytest.fixture(scope="session")
def self_signed(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A certificate for 127.0.0.1 and its key, made by the openssl command."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = str(folder / "cert.pem"), str(folder / "key.pem")
    command = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
    command += " -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1"
    subprocess.run(
        [*command.split(), "-keyout", key, "-out", cert],
        check=True,
        capture_output=True,
    )
    return cert, key
