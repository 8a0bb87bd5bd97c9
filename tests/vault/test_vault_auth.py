"""Logging in (token, AppRole, Kubernetes), namespaces, TLS, and what a user reads when it fails.

Every failing case also checks that the message holds neither a secret value nor a credential.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pypeline.run.templater.secrets import SecretError
from pypeline_vault.resolver import VaultResolver

from .fake_vault import TOKEN, FakeVault, free_port

REF = "vault:secret/data/warehouse#password"
VALUE = "W4rehouse-s3cret-pw"


def failure(resolve, *credentials: str, **options: object) -> str:
    """The error text of resolving REF, checked free of the value and of every credential."""
    with pytest.raises(SecretError) as info:
        resolve(REF, **options)
    message = str(info.value)
    assert message.startswith(f"secret({REF!r}): ")
    for hidden in (VALUE, TOKEN, *credentials):
        assert hidden not in message
    return message


def test_token_from_the_vault_token_file(vault: FakeVault, resolve, clean_env: Path) -> None:
    (clean_env / ".vault-token").write_text(TOKEN + "\n")
    assert resolve(REF, address=vault.url) == VALUE
    assert vault.requests[0].token == TOKEN


def test_no_token_anywhere(vault: FakeVault, resolve) -> None:
    message = failure(resolve, address=vault.url)
    assert "no Vault token: set VAULT_TOKEN, log in with `vault login`" in message
    assert vault.requests == []


def test_wrong_or_expired_token_is_a_clear_403(vault: FakeVault, resolve, monkeypatch) -> None:
    monkeypatch.setenv("VAULT_TOKEN", "hvs.expired-token-9999")
    message = failure(resolve, "hvs.expired-token-9999", address=vault.url)
    assert (
        f"Vault at {vault.url} refused the token from VAULT_TOKEN (403 permission denied)"
        in message
    )
    assert "expired, revoked or not valid here; log in again (vault login)" in message
    assert vault.paths() == ["/v1/secret/data/warehouse", "/v1/auth/token/lookup-self"]


def test_a_live_token_without_a_policy(vault: FakeVault, resolve, monkeypatch) -> None:
    vault.denied.add(TOKEN)
    monkeypatch.setenv("VAULT_TOKEN", TOKEN)
    message = failure(resolve, address=vault.url)
    assert "permission denied (403) reading secret/warehouse: the token's policies" in message


def test_approle_from_the_environment(vault: FakeVault, resolve, monkeypatch) -> None:
    vault.add_approle("etl-role-id", "etl-secret-id-0042")
    monkeypatch.setenv("VAULT_ADDR", vault.url)
    monkeypatch.setenv("VAULT_ROLE_ID", "etl-role-id")
    monkeypatch.setenv("VAULT_SECRET_ID", "etl-secret-id-0042")
    assert resolve(REF) == VALUE
    login, read = vault.requests
    assert (login.method, login.path, login.token) == ("POST", "/v1/auth/approle/login", "")
    assert read.token in vault.tokens and read.token != TOKEN


def test_approle_from_options_and_a_secret_id_file(vault: FakeVault, resolve, tmp_path) -> None:
    vault.add_approle("etl-role-id", "etl-secret-id-0042")
    secret_id = tmp_path / "secret-id"
    secret_id.write_text("etl-secret-id-0042\n")
    options = {"address": vault.url, "auth_method": "approle", "role_id": "etl-role-id"}
    assert resolve(REF, **options, secret_id_file=str(secret_id)) == VALUE


def test_approle_refused(vault: FakeVault, resolve, monkeypatch) -> None:
    vault.add_approle("etl-role-id", "etl-secret-id-0042")
    monkeypatch.setenv("VAULT_ROLE_ID", "etl-role-id")
    monkeypatch.setenv("VAULT_SECRET_ID", "wrong-secret-id-7777")
    message = failure(resolve, "wrong-secret-id-7777", address=vault.url)
    assert "refused logging in with approle (400: invalid role or secret ID)" in message
    monkeypatch.delenv("VAULT_ROLE_ID")
    message = failure(resolve, address=vault.url, auth_method="approle")
    assert "AppRole auth needs a role id: set VAULT_ROLE_ID or option role_id" in message


def test_kubernetes_login_with_the_service_account_token(
    vault: FakeVault, resolve, tmp_path
) -> None:
    jwt = "eyJhbGciOi.k8s-service-account.jwt"
    vault.add_kubernetes_role("etl", jwt)
    token_path = tmp_path / "sa-token"
    token_path.write_text(jwt)
    options = {"address": vault.url, "kubernetes_role": "etl"}
    assert resolve(REF, **options, kubernetes_token_path=str(token_path)) == VALUE
    assert vault.requests[0].path == "/v1/auth/kubernetes/login"
    token_path.write_text("eyJ.another-cluster.jwt")
    message = failure(
        resolve, "eyJ.another-cluster", **options, kubernetes_token_path=str(token_path)
    )
    assert "refused logging in with kubernetes (403: permission denied)" in message


def test_kubernetes_default_token_path_missing(vault: FakeVault, resolve, monkeypatch) -> None:
    monkeypatch.setenv("VAULT_KUBERNETES_ROLE", "etl")
    message = failure(resolve, address=vault.url)
    assert (
        "cannot read the Kubernetes service-account token "
        "'/var/run/secrets/kubernetes.io/serviceaccount/token'" in message
    )


def test_namespaces(vault: FakeVault, resolve, monkeypatch) -> None:
    team_token = vault.add_token("hvs.team-a-token-0001", namespace="team-a")
    vault.put_kv2("secret", "warehouse", {"password": "team-a-Pa55word"}, namespace="team-a")
    monkeypatch.setenv("VAULT_TOKEN", team_token)
    monkeypatch.setenv("VAULT_NAMESPACE", "team-a")
    assert resolve(REF, address=vault.url) == "team-a-Pa55word"
    assert {seen.namespace for seen in vault.requests} == {"team-a"}
    message = failure(resolve, team_token, address=vault.url, namespace="team-b")
    assert "(namespace 'team-b') refused the token from VAULT_TOKEN" in message


def test_vault_down(resolve, monkeypatch) -> None:
    monkeypatch.setenv("VAULT_TOKEN", TOKEN)
    address = f"http://127.0.0.1:{free_port()}"
    message = failure(resolve, address=address)
    assert f"cannot reach Vault at {address} while reading secret/warehouse" in message
    assert "are VAULT_ADDR (or option address) and the network right?" in message


def test_vault_sealed(vault: FakeVault, resolve, monkeypatch) -> None:
    vault.sealed = True
    monkeypatch.setenv("VAULT_TOKEN", TOKEN)
    message = failure(resolve, address=vault.url)
    assert f"Vault at {vault.url} is sealed or unavailable (503)" in message


@pytest.mark.filterwarnings("ignore:Unverified HTTPS request")
def test_tls_verified_by_default_and_off_only_when_asked(self_signed, resolve, monkeypatch) -> None:
    cert, _ = self_signed
    with FakeVault(tls=self_signed) as vault:
        vault.add_token(TOKEN)
        vault.put_kv2("secret", "warehouse", {"password": VALUE})
        monkeypatch.setenv("VAULT_ADDR", vault.url)
        monkeypatch.setenv("VAULT_TOKEN", TOKEN)
        assert "TLS verification of Vault at https://127.0.0.1:" in failure(resolve)
        monkeypatch.setenv("VAULT_SKIP_VERIFY", "false")
        assert "VAULT_CACERT (or option ca_cert)" in failure(resolve)
        monkeypatch.setenv("VAULT_CACERT", cert)
        assert resolve(REF) == VALUE
        monkeypatch.delenv("VAULT_CACERT")
        monkeypatch.setenv("VAULT_SKIP_VERIFY", "true")
        assert resolve(REF) == VALUE
        assert resolve(REF, skip_verify=False, ca_cert=cert) == VALUE


def test_one_login_per_run(vault: FakeVault, monkeypatch) -> None:
    from pypeline.run.templater.secrets import secret_function

    vault.add_approle("etl-role-id", "etl-secret-id-0042")
    vault.put_kv2("secret", "crm", {"api_key": "crm-K3y-123456"})
    monkeypatch.setenv("VAULT_ROLE_ID", "etl-role-id")
    monkeypatch.setenv("VAULT_SECRET_ID", "etl-secret-id-0042")
    for _run in range(2):  # each run gets a new resolver from the hook
        resolver = VaultResolver()
        resolver.configure({"address": vault.url})
        secret = secret_function({"vault": resolver}, lambda value: None)
        assert secret(REF) == VALUE
        assert secret("vault:secret/crm#api_key") == "crm-K3y-123456"
    assert vault.paths("POST") == ["/v1/auth/approle/login"] * 2
    assert len(vault.paths("GET")) == 4
