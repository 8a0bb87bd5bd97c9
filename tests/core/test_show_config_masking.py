"""``--show-config`` masks credentials (SPEC §6): a resolver option named like one, a URL's
password, any value the command knows as a secret; the run itself gets the real values."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pypeline import hookimpl

from .deployment_flows import FLOW, config_table

TOKEN = "hvs.CAESIshowconfig0Tok3nXq9Lm2"
CREDENTIALS_TOML = f"""\
[dask]
address = "tcp://sched:dask-pw-8786x@scheduler.internal:8786"
[secrets.keyring]
password = "kr-Pa55w0rd-xyzzy"
service = "warehouse"
[secrets.vault]
address = "https://etl:vault-url-pw-77@vault.example:8200"
token = "{TOKEN}"
role_id = "role-4f1e-9a7b-showcfg"
secret_id = "sid-0c2d-8e6f-showcfg"
"client-key" = "/etc/tls/client-key.pem"
token_file = "/etc/vault/token-file"
auth_mount = "approle"
[secrets.vault.mounts]
"team/kv" = 1
[secrets.vault.login]
jwt = "eyJhbGciOi.showcfg.jwt"
"""
HIDDEN = [
    TOKEN,
    "kr-Pa55w0rd-xyzzy",
    "role-4f1e-9a7b-showcfg",
    "sid-0c2d-8e6f-showcfg",
    "/etc/tls/client-key.pem",
    "eyJhbGciOi.showcfg.jwt",
    "vault-url-pw-77",
    "dask-pw-8786x",
]


def test_show_config_masks_credentials_of_the_deployment_file(pype: Any, tmp_path: Path) -> None:
    (tmp_path / "flow.yaml").write_text(FLOW)
    (tmp_path / "pypeline.toml").write_text(CREDENTIALS_TOML)
    result = pype("run", "flow.yaml", "--show-config")
    assert result.code == 0, result.output
    assert [value for value in HIDDEN if value in result.output] == []
    config = config_table(result)
    assert config["dask.address"][0] == '"tcp://sched:***@scheduler.internal:8786"'
    assert json.loads(config["secrets.keyring"][0]) == {"password": "***", "service": "warehouse"}
    assert json.loads(config["secrets.vault"][0]) == {
        "address": "https://etl:***@vault.example:8200",
        "token": "***",
        "role_id": "***",
        "secret_id": "***",
        "client-key": "***",
        "token_file": "/etc/vault/token-file",  # where a credential is, not what it is
        "auth_mount": "approle",
        "mounts": {"team/kv": 1},
        "login": {"jwt": "***"},
    }
    assert config["secrets.vault"][1] == "deployment file"


def test_show_config_masks_flow_settings_and_known_secrets(
    tmp_path: Path, monkeypatch: Any, capsys: Any
) -> None:
    from pypeline.build.build import build_flow
    from pypeline.cli.cli_config import print_config
    from pypeline.run.observe.redact import redaction_scope
    from pypeline.run.options import RunOptions

    flow = FLOW.replace(
        "settings: {threads: 2, artifacts: {",
        "settings: {secrets: {keyring: {api_key: k-123456789, region: eu}}, "
        "artifacts: {spill_dir: /var/spill/known-secret-value/x, ",
    )
    (tmp_path / "flow.yaml").write_text(flow)
    monkeypatch.chdir(tmp_path)
    built = build_flow(tmp_path / "flow.yaml", tmp_path / "jobs")
    assert built.job_dir is not None
    with redaction_scope() as redactor:
        redactor.add("known-secret-value")
        print_config(built.job_dir, RunOptions())
    out = capsys.readouterr().out
    assert "k-123456789" not in out and "known-secret-value" not in out
    assert '"/var/spill/***/x"' in out
    assert '{"api_key": "***", "region": "eu"}' in out


KEYRING_FLOW = """\
flow: {name: keyring_user}
modules:
  - {id: show, name: warn, configs: {required: {message: "{{ secret('keyring:db') }}"}}}
"""


class Keyring:
    """A third-party resolver whose options hold a credential, registered for one test."""

    def __init__(self) -> None:
        self.options: dict[str, Any] = {}

    @hookimpl
    def pypeline_secret_resolvers(self) -> dict[str, Any]:
        plugin = self

        class Resolver:
            def configure(self, options: dict[str, Any]) -> None:
                plugin.options = dict(options)

            def resolve(self, path: str, key: str | None) -> str:
                return f"{path}:{plugin.options['password']}"

        return {"keyring": Resolver()}


def test_the_run_still_gets_the_real_credential(
    pypeline_flow: Any, pypeline_plugin: Any, tmp_path: Path
) -> None:
    (tmp_path / "pypeline.toml").write_text(
        '[secrets.keyring]\npassword = "kr-Pa55w0rd-xyzzy"\nservice = "warehouse"\n'
    )
    plugin = pypeline_plugin(Keyring(), name="test-keyring")
    run = pypeline_flow(KEYRING_FLOW)
    assert run.status == "success", run.summary
    assert plugin.options == {"password": "kr-Pa55w0rd-xyzzy", "service": "warehouse"}
    assert [e["message"] for e in run.of("log") if e.get("node_id") == "show"] == ["***"]
