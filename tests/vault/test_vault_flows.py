"""Vault secrets in real flows: options from ``settings.secrets.vault``, build and validate never
resolving, and the leak test: after runs that succeed and runs that fail inside the module
using the secret, nothing on disk or on the console holds the secret or the token.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .fake_vault import TOKEN, FakeVault

VALUE = "W4rehouse-s3cret-pw"
REF = "vault:secret/data/warehouse#password"

FLOW = """\
flow: {name: leak_check}
settings:
  fail_strategy: continue
  secrets:
    vault: {address: "ADDRESS", kv_version: 2}
context:
  default: {broken: false}
  broken: {broken: true}
modules:
  - id: announce
    name: warn
    configs: {required: {message: "connecting as etl:{{ secret('REF') }}@warehouse"}}
  - id: connect
    name: fail
    configs: {optional: {message: "cannot connect with {{ secret('REF') }} to the warehouse"}}
connections:
  control:
    - "announce (1|context.broken) connect"
"""


def flow_text(vault: FakeVault, extra: str = "") -> str:
    return FLOW.replace("ADDRESS", vault.url).replace("REF", REF) + extra


def sql_exec_installed() -> bool:
    from pypeline.plugins.catalog import build_catalog

    return build_catalog().get("sql_exec") is not None


def leaks(root: Path, *hidden: str, skip: str = "//") -> list[str]:
    """Every file under ``root`` whose name or bytes hold one of ``hidden``."""
    found = []
    for path in sorted(p for p in root.rglob("*") if skip not in p.as_posix()):
        data = path.read_bytes() if path.is_file() else b""
        if any(h in str(path) or h.encode() in data for h in hidden):
            found.append(str(path.relative_to(root)))
    return found


def test_settings_reach_the_resolver_and_the_value_only_the_module(
    vault: FakeVault, pypeline_flow, monkeypatch
) -> None:
    monkeypatch.setenv("VAULT_TOKEN", TOKEN)
    run = pypeline_flow(flow_text(vault))
    assert run.status == "success", run.summary
    (log,) = [e for e in run.events if e["event"] == "log"]
    assert log["message"] == "connecting as etl:***@warehouse"
    assert vault.paths() == ["/v1/secret/data/warehouse"]
    assert leaks(run.job_dir, VALUE, TOKEN) == []


def test_a_vault_failure_is_the_module_error(vault: FakeVault, pypeline_flow, monkeypatch) -> None:
    monkeypatch.setenv("VAULT_TOKEN", "hvs.expired-token-9999")
    run = pypeline_flow(flow_text(vault))
    assert run.exit_code == 1
    error = run.node("announce")["error"]
    assert error.startswith(f"secret({REF!r}): Vault at {vault.url} refused the token")
    assert leaks(run.job_dir, "hvs.expired-token-9999") == []


def test_leak_test_through_the_cli(vault: FakeVault, pype, tmp_path: Path) -> None:
    """Console and JSON output, --log-file, --debug; success and failure; every file after."""
    extra = ""
    if sql_exec_installed():  # the secret as a SQLite URL's password (SQLite ignores it)
        (tmp_path / "db").mkdir()
        url = f"sqlite:///file:{tmp_path.as_posix()}/db/dw.sqlite?mode=rwc&password={{{{ secret('{REF}') }}}}&uri=true"
        sql = "{{ 'SELECT * FROM missing_table' if context.broken else 'CREATE TABLE IF NOT EXISTS t (x INT)' }}"
        extra = f'  - id: load\n    name: sql_exec\n    configs: {{required: {{url: "{url}", sql: "{sql}"}}}}\n'
    text = flow_text(vault).replace("connections:", extra + "connections:", 1)
    (tmp_path / "flow.yaml").write_text(text)
    env = {"VAULT_TOKEN": TOKEN}
    runs = [
        ("success", ["run", "flow.yaml", "--log-file", "logs/console.log"], 0),
        ("json", ["run", "flow.yaml", "--log-format", "json", "--log-file", "logs/json.log"], 0),
        ("broken", ["run", "flow.yaml", "--context", "broken", "--log-file", "logs/b.log"], 1),
        (
            "debug",
            ["--debug", "run", "flow.yaml", "--context", "broken", "--log-format", "json"],
            1,
        ),
    ]
    for name, args, code in runs:
        result = pype(*args, "--fresh", env=env)
        assert result.code == code, (name, result.output)
        assert VALUE not in result.output and TOKEN not in result.output, name
        assert "***" in result.output, name
        assert leaks(tmp_path, VALUE, TOKEN, skip="/checkpoints/") == [], name
    job = tmp_path / "jobs" / "leak_check"
    summaries = sorted(job.glob("runs/*/summary.json"))
    assert len(summaries) == 4
    assert "cannot connect with *** to the warehouse" in summaries[-1].read_text()


@pytest.fixture
def write_flow(tmp_path: Path):
    def _write(text: str) -> None:
        (tmp_path / "flow.yaml").write_text(text)

    return _write


def test_build_writes_the_reference_never_the_value(
    vault: FakeVault, pype, write_flow, tmp_path: Path
) -> None:
    write_flow(flow_text(vault))
    env = {"VAULT_TOKEN": TOKEN, "VAULT_ADDR": vault.url}
    assert pype("validate", "flow.yaml", env=env).code == 0
    assert pype("build", "flow.yaml", env=env).code == 0
    assert vault.requests == []
    dag = (tmp_path / "jobs" / "leak_check" / "leak_check_dag.json").read_text()
    assert REF in dag and VALUE not in dag


def test_validate_refuses_bad_vault_options(vault: FakeVault, pype, write_flow) -> None:
    write_flow(flow_text(vault).replace("kv_version: 2", "kv_verison: 2"))
    result = pype("validate", "flow.yaml")
    assert result.code == 2
    assert "settings.secrets.vault: unknown option 'kv_verison' (did you mean" in result.err


def test_a_credential_in_the_flow_is_refused_at_its_line(
    vault: FakeVault, pype, write_flow, tmp_path: Path
) -> None:
    write_flow(flow_text(vault).replace("kv_version: 2", f"token: {TOKEN}"))
    result = pype("build", "flow.yaml")
    assert result.code == 2
    assert "flow.yaml:5:" in result.err
    assert "settings.secrets.vault: 'token' is not an option a flow may hold" in result.err
    assert not (tmp_path / "jobs").exists()


def test_a_failed_run_leaves_no_secret_in_its_checkpoint(
    vault: FakeVault, pype, write_flow, tmp_path: Path
) -> None:
    write_flow(flow_text(vault))
    result = pype("run", "flow.yaml", "--context", "broken", env={"VAULT_TOKEN": TOKEN})
    assert result.code == 1
    checkpoints = tmp_path / "jobs" / "leak_check" / "checkpoints"
    assert any(checkpoints.iterdir())  # kept for --resume
    assert leaks(checkpoints, VALUE, TOKEN) == []
