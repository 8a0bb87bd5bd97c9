"""``secret()``: the core's env and file resolvers, reference syntax at validate time, resolver
options, and secrets kept out of every error, record and ``--debug`` traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from pypeline.cli.errors import handle_errors
from pypeline.run.observe.redact import current_redactor
from pypeline.run.templater.secrets import EnvResolver, FileResolver, SecretError, secret_function

VALUE = "Sup3r-s3cret-Pa55"


def resolve(reference: str, seen: list[str] | None = None) -> str:
    resolvers = {"env": EnvResolver(), "file": FileResolver()}
    on_value = seen.append if seen is not None else (lambda value: None)
    return secret_function(resolvers, on_value)(reference)


def error_of(reference: str) -> str:
    with pytest.raises(SecretError) as info:
        resolve(reference)
    assert VALUE not in str(info.value)
    return str(info.value)


def test_env_resolver(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DB_PASSWORD", VALUE)
    seen: list[str] = []
    assert resolve("env:DB_PASSWORD", seen) == VALUE
    assert seen == [VALUE]  # handed to the run's redactor
    assert error_of("env:NOT_SET_ANYWHERE") == (
        "secret('env:NOT_SET_ANYWHERE'): environment variable 'NOT_SET_ANYWHERE' is not set"
    )
    assert "an environment variable has no keys" in error_of("env:DB_PASSWORD#key")


def test_file_resolver_whole_file_and_json_key(tmp_path: Path) -> None:
    (tmp_path / "db").write_text(VALUE + "\n")
    (tmp_path / "creds.json").write_text(f'{{"password": "{VALUE}", "port": 5432}}')
    assert resolve(f"file:{tmp_path}/db") == VALUE
    assert resolve(f"file:{tmp_path}/creds.json#password") == VALUE
    assert resolve(f"file:{tmp_path}/creds.json#port") == "5432"
    missing_key = error_of(f"file:{tmp_path}/creds.json#pasword")
    assert missing_key.endswith(f"secret file '{tmp_path}/creds.json' has no JSON key 'pasword'")
    missing_file = error_of(f"file:{tmp_path}/nope")
    assert f"cannot read secret file '{tmp_path}/nope': No such file or directory" in missing_file


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("nope", "bad secret reference 'nope': expected '<scheme>:<path>[#<key>]'"),
        (":NAME", "bad secret reference ':NAME'"),
        ("env:", "bad secret reference 'env:'"),
        ("ENV:NAME", "bad secret reference 'ENV:NAME'"),
        ("env:NAME#", "bad secret reference 'env:NAME#': no key after '#'"),
        (
            "vault:kv/db#pw",
            "unknown secret scheme 'vault' in 'vault:kv/db#pw' (installed: env, file)",
        ),
    ],
)
def test_bad_references_and_unknown_schemes(reference: str, message: str) -> None:
    assert message in error_of(reference)


def test_a_resolver_crash_never_shows_its_text() -> None:
    class Leaky:
        def resolve(self, path: str, key: str | None) -> str:
            raise RuntimeError(f"connection to db://etl:{VALUE}@host failed")

    with pytest.raises(SecretError) as info:
        secret_function({"leaky": Leaky()}, lambda value: None)("leaky:db#pw")
    assert str(info.value) == "secret('leaky:db#pw'): the 'leaky' resolver failed (RuntimeError)"
    assert info.value.__cause__ is None and info.value.__suppress_context__


FLOW = """\
flow: {name: secrets_flow}
SETTINGS
modules:
  - id: hello
    name: warn
    configs: {required: {message: "password is MESSAGE"}}
"""


def flow(message: str, settings: str = "settings: {timeout: 30}") -> str:
    return FLOW.replace("SETTINGS", settings).replace("MESSAGE", message)


def test_validate_checks_reference_syntax_only(pype: Any, tmp_path: Path) -> None:
    (tmp_path / "flow.yaml").write_text(flow("{{ secret('nope') }}"))
    result = pype("validate", "flow.yaml")
    assert result.code == 2
    assert (
        "flow.yaml:6:26: module 'hello' (warn): message: bad secret reference 'nope'" in result.err
    )
    # a reference built at run time, or one nobody could resolve here, is not checked
    (tmp_path / "flow.yaml").write_text(flow("{{ secret('env:' ~ 'X') }} {{ secret('kv:a#b') }}"))
    assert pype("validate", "flow.yaml").code == 0


def test_build_resolves_nothing(pype: Any, tmp_path: Path) -> None:
    (tmp_path / "flow.yaml").write_text(flow("{{ secret('env:PYPELINE_TEST_UNSET') }}"))
    result = pype("build", "flow.yaml", env={"PYPELINE_TEST_UNSET_OTHER": "x"})
    assert result.code == 0, result.err
    dag = (tmp_path / "jobs" / "secrets_flow" / "secrets_flow_dag.json").read_text()
    assert "secret('env:PYPELINE_TEST_UNSET')" in dag


def test_a_run_masks_the_value_everywhere(pypeline_flow: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("DB_PASSWORD", VALUE)
    run = pypeline_flow(flow("{{ secret('env:DB_PASSWORD') }}"))
    assert run.status == "success"
    (log,) = run.of("log")
    assert log["message"] == "password is ***"
    for path in run.job_dir.rglob("*"):
        assert not path.is_file() or VALUE.encode() not in path.read_bytes(), path


def test_a_missing_secret_fails_its_module_naming_the_reference(pypeline_flow: Any) -> None:
    run = pypeline_flow(flow("{{ secret('env:PYPELINE_TEST_UNSET') }}"))
    assert run.exit_code == 1
    assert run.node("hello")["error"] == (
        "secret('env:PYPELINE_TEST_UNSET'): environment variable 'PYPELINE_TEST_UNSET' is not set"
    )


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (
            "settings: {secrets: {nope: {a: 1}}}",
            "settings.secrets.nope: no 'nope' resolver is installed",
        ),
        (
            "settings: {secrets: {env: {a: 1}}}",
            "settings.secrets.env: the 'env' resolver takes no options",
        ),
    ],
)
def test_resolver_options_are_checked_before_the_run(
    pype: Any, tmp_path: Path, settings: str, message: str
) -> None:
    (tmp_path / "flow.yaml").write_text(flow("plain", settings))
    result = pype("run", "flow.yaml")
    assert result.code == 2
    assert f"error: {message}" in result.err
    assert not list((tmp_path / "jobs" / "secrets_flow").glob("runs/*/log.jsonl"))


def test_a_credential_in_settings_is_refused_at_its_line(pype: Any, tmp_path: Path) -> None:
    settings = "settings:\n  secrets:\n    custom:\n      password: hunter2-is-bad"
    (tmp_path / "flow.yaml").write_text(flow("plain", settings))
    result = pype("validate", "flow.yaml")
    assert result.code == 2
    assert (
        "flow.yaml:5:7: settings.secrets.custom: 'password' is not an option a flow may"
        in result.err
    )
    assert "give it through the environment" in result.err


@click.command()
@click.option("--debug", is_flag=True)
@handle_errors
def leaky(debug: bool) -> None:
    """A command whose run resolved a secret, then failed with it in the message."""
    password = "Sup3r-s3cret-Pa55"
    current_redactor().add(password)
    try:
        raise KeyError(password)
    except KeyError as exc:
        raise RuntimeError(f"cannot connect to db://etl:{password}@host") from exc


def test_errors_and_debug_tracebacks_are_redacted_and_show_no_locals() -> None:
    plain = CliRunner().invoke(leaky, [])
    assert plain.exit_code == 1
    assert plain.stderr.splitlines() == [
        "error: RuntimeError: cannot connect to db://etl:***@host",
        "  hint: run again with --debug for the traceback",
    ]
    debug = CliRunner().invoke(leaky, ["--debug"])
    assert debug.exit_code == 1
    assert "Traceback (most recent call last):" in debug.stderr
    assert "KeyError: '***'" in debug.stderr  # the cause, redacted too
    assert "RuntimeError: cannot connect to db://etl:***@host" in debug.stderr
    assert VALUE not in debug.output
    assert "password = " not in debug.stderr  # no locals
