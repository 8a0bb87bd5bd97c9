"""Reading KV v1 and v2 secrets through hvac: paths, versions, keys, options, one read each."""

from __future__ import annotations

import pytest

from pypeline.run.templater.secrets import SecretError, secret_function
from pypeline_vault.resolver import VaultResolver

from .fake_vault import TOKEN, FakeVault, free_port


def test_kv2_latest_version_in_the_api_form_and_the_cli_form(token_env: FakeVault, resolve) -> None:
    assert resolve("vault:secret/data/warehouse#password") == "W4rehouse-s3cret-pw"
    assert resolve("vault:secret/warehouse#password") == "W4rehouse-s3cret-pw"
    assert token_env.paths() == ["/v1/secret/data/warehouse"] * 2
    assert {seen.token for seen in token_env.requests} == {TOKEN}


def test_kv2_version_pin(token_env: FakeVault, resolve) -> None:
    assert resolve("vault:secret/data/warehouse#password@1") == "first-Pa55word-v1"
    assert resolve("vault:secret/data/warehouse#password@2") == "W4rehouse-s3cret-pw"


def test_a_deleted_or_missing_version_is_not_found(token_env: FakeVault, resolve) -> None:
    token_env.delete_kv2_version("secret", "warehouse", 1)
    with pytest.raises(SecretError, match=r"no secret at secret/warehouse \(version 1\)"):
        resolve("vault:secret/data/warehouse#password@1")
    with pytest.raises(SecretError, match=r"no secret at secret/warehouse \(version 9\)"):
        resolve("vault:secret/data/warehouse#password@9")


def test_kv1_by_kv_version_option_and_by_mounts(token_env: FakeVault, resolve) -> None:
    token_env.put_kv1("kv", "apps/crm", {"api_key": "crm-K3y-123456"})
    assert resolve("vault:kv/apps/crm#api_key", kv_version=1) == "crm-K3y-123456"
    # one flow, both kinds of mount: the mapping names the exception
    assert resolve("vault:kv/apps/crm#api_key", mounts={"kv": 1}) == "crm-K3y-123456"
    assert token_env.paths() == ["/v1/kv/apps/crm"] * 2


def test_kv_version_from_the_environment(token_env: FakeVault, resolve, monkeypatch) -> None:
    token_env.put_kv1("kv", "db", {"password": "v1-env-Pa55"})
    monkeypatch.setenv("VAULT_KV_VERSION", "1")
    assert resolve("vault:kv/db#password") == "v1-env-Pa55"
    monkeypatch.setenv("VAULT_KV_VERSION", "3")
    with pytest.raises(SecretError, match="VAULT_KV_VERSION must be 1 or 2"):
        resolve("vault:kv/db#password")


def test_a_mount_path_with_slashes(token_env: FakeVault, resolve) -> None:
    token_env.put_kv2("team/kv", "billing", {"iban": "DE00-1234-5678"})
    assert resolve("vault:team/kv/data/billing#iban", mounts={"team/kv": 2}) == "DE00-1234-5678"
    assert token_env.paths() == ["/v1/team/kv/data/billing"]


def test_wrong_kv_version_says_what_to_change(token_env: FakeVault, resolve) -> None:
    token_env.put_kv1("kv", "db", {"password": "v1-only-Pa55"})
    with pytest.raises(SecretError) as info:
        resolve("vault:kv/db#password")
    message = str(info.value)
    assert "secret('vault:kv/db#password'): Vault has no secret at kv/db" in message
    assert "set kv_version: 1 or mounts: {kv: 1}" in message
    with pytest.raises(SecretError, match="KV v1, which has no versions"):
        resolve("vault:kv/db#password@2", kv_version=1)


def test_missing_key_names_the_keys_never_the_values(token_env: FakeVault, resolve) -> None:
    with pytest.raises(SecretError) as info:
        resolve("vault:secret/data/warehouse#pasword")
    message = str(info.value)
    assert "has no key 'pasword' (keys: password, user)" in message
    assert "W4rehouse" not in message and "etl" not in message.replace("secret", "")


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("vault:secret/data/warehouse", "a Vault reference names a key"),
        ("vault:secret#password", "names the mount 'secret', not a secret in it"),
        ("vault:/secret/#password", "names the mount 'secret', not a secret in it"),
        ("vault:secret/warehouse#password@0", "versions start at 1"),
    ],
)
def test_bad_vault_references(token_env: FakeVault, resolve, reference: str, message: str) -> None:
    with pytest.raises(SecretError, match=message) as info:
        resolve(reference)
    assert reference in str(info.value)
    assert token_env.requests == []  # refused before asking Vault


def test_values_that_are_not_text_are_given_as_json(token_env: FakeVault, resolve) -> None:
    token_env.put_kv2("secret", "typed", {"port": 5432, "tls": True, "hosts": ["a", "b"]})
    assert resolve("vault:secret/typed#port") == "5432"
    assert resolve("vault:secret/typed#tls") == "true"
    assert resolve("vault:secret/typed#hosts") == '["a", "b"]'


def test_one_read_per_secret_and_every_value_registered(token_env: FakeVault) -> None:
    resolver = VaultResolver()
    resolver.configure({})
    seen: list[str] = []
    secret = secret_function({"vault": resolver}, seen.append)
    assert secret("vault:secret/data/warehouse#user") == "etl"
    assert secret("vault:secret/data/warehouse#password") == "W4rehouse-s3cret-pw"
    assert secret("vault:secret/data/warehouse#password") == "W4rehouse-s3cret-pw"
    assert token_env.paths() == ["/v1/secret/data/warehouse"]
    assert seen == ["etl", "W4rehouse-s3cret-pw"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"adress": "http://x"}, "unknown option 'adress' (did you mean 'address'?)"),
        ({"token": "hvs.abc"}, "'token' is a credential and is never written in a flow"),
        ({"secret_id": "s"}, "set VAULT_SECRET_ID or use secret_id_file"),
        ({"kv_version": 3}, "option 'kv_version' must be 1 or 2"),
        ({"auth_method": "ldap"}, "must be one of token, approle, kubernetes, not 'ldap'"),
        ({"skip_verify": "maybe"}, "option 'skip_verify' must be true or false"),
        ({"mounts": ["kv"]}, "must map each mount path to its KV version"),
        ({"timeout": 0}, "must be a number of seconds above 0"),
    ],
)
def test_bad_options_are_refused_when_configured(options: dict, message: str) -> None:
    with pytest.raises(SecretError) as info:
        VaultResolver().configure(options)
    assert message in str(info.value)


def test_the_flow_option_beats_the_environment(vault: FakeVault, resolve, monkeypatch) -> None:
    monkeypatch.setenv("VAULT_ADDR", f"http://127.0.0.1:{free_port()}")  # nothing there
    monkeypatch.setenv("VAULT_TOKEN", TOKEN)
    assert resolve("vault:secret/warehouse#user", address=vault.url) == "etl"
