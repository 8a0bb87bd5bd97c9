"""What a template derives from a secret is masked like the secret itself (SPEC §6).

Each test renders through a real ``Templater`` whose ``secret()`` registers with a real
``Redactor``, then asserts what the redactor does to text holding the derived value: filters,
concatenation, slicing, formatting, a value inside a list or dict config, indirection through
``{% set %}`` and loops, a condition, and the error messages of a template that read a secret.
The literal text of a template, and values rendered without a secret, stay readable.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, quote_plus

import pytest

from pypeline.run.observe.redact import Redactor
from pypeline.run.templater.secrets import EnvResolver, SecretError, secret_function
from pypeline.run.templater.templater import TemplateFailure, Templater

VALUE = "Sup3r s3cret/Pa55+é&"
PW = "secret('env:PIPE_PW')"


@pytest.fixture
def redactor(monkeypatch: pytest.MonkeyPatch) -> Redactor:
    monkeypatch.setenv("PIPE_PW", VALUE)
    return Redactor()


@pytest.fixture
def templater(redactor: Redactor) -> Templater:
    def lookup(frame: str, module_id: str, key: str) -> Any:
        raise KeyError(key)

    secret = secret_function({"env": EnvResolver()}, redactor.add)
    context = {"host": "db.example.com", "user": "etl"}
    return Templater(context, {"id": "r1", "job": "j"}, lookup, secret)


def masked(redactor: Redactor, derived: str) -> None:
    """``derived`` differs from the secret, and the redactor hides it in a log line."""
    assert derived != VALUE
    assert redactor(f"driver said: {derived}!") == "driver said: ***!"


@pytest.mark.parametrize(
    "template",
    [
        f"{{{{ {PW} | urlencode }}}}",
        f"{{{{ {PW} | upper }}}}",
        f"{{{{ {PW} | lower | title }}}}",
        f"{{{{ {PW} | replace('s3cret', 'S-E-C') }}}}",
        f"{{{{ {PW} | reverse }}}}",
        f"{{{{ {PW} | center(40) | replace(' ', '.') }}}}",
        f"{{{{ {PW} | e }}}}",
        f"{{{{ {PW} | tojson }}}}",
        f"{{{{ {PW} | wordwrap(6) }}}}",
        f"{{{{ {PW} ~ '-suffix' }}}}",
        f"{{{{ 'prefix-' + {PW} }}}}",
        f"{{{{ {PW}[:-1] }}}}",
        f"{{{{ {PW}[2:] }}}}",
        f"{{{{ {PW}[::-1] }}}}",
        f"{{{{ '<{{}}>'.format({PW}) }}}}",
        f"{{{{ '%s?' % {PW} }}}}",
        f"{{{{ '%s!' | format({PW}) }}}}",
        f"{{{{ {PW}.split(' ') | join('_') }}}}",
        f"{{% set p = {PW} | upper %}}{{{{ p }}}}",
        f"{{% for c in {PW} %}}{{{{ c | upper }}}}{{% endfor %}}",
        f"{{% filter upper %}}{{{{ {PW} }}}}{{% endfilter %}}",
        f"{{% macro m() %}}{{{{ {PW} | upper }}}}{{% endmacro %}}{{{{ m() }}}}",
    ],
)
def test_a_derived_secret_is_masked(
    templater: Templater, redactor: Redactor, template: str
) -> None:
    rendered = templater.render(template)
    masked(redactor, rendered.strip())


def test_the_template_text_and_other_values_stay_readable(
    templater: Templater, redactor: Redactor
) -> None:
    url = templater.render(
        f"postgresql://{{{{ context.user }}}}:{{{{ {PW} | urlencode }}}}@db/prod"
    )
    assert redactor(url) == "postgresql://etl:***@db/prod"
    assert redactor("connecting to postgresql://etl@db/prod") == (
        "connecting to postgresql://etl@db/prod"
    )
    assert templater.render("{{ context.host | upper }}") == "DB.EXAMPLE.COM"
    assert redactor("host DB.EXAMPLE.COM") == "host DB.EXAMPLE.COM"  # no secret was read


def test_values_inside_list_and_dict_configs(templater: Templater, redactor: Redactor) -> None:
    config = templater.render(
        {
            "options": ["--verbose", f"--password={{{{ {PW} | lower }}}}"],
            "connection": {"password": f"{{{{ {PW} | upper }}}}", "port": 5432},
            "native": f"{{{{ {{'pw': {PW}.swapcase(), 'list': [{PW} ~ '!']}} }}}}",
        }
    )
    assert config["options"][0] == "--verbose"
    masked(redactor, config["options"][1].removeprefix("--password="))
    masked(redactor, config["connection"]["password"])
    masked(redactor, config["native"]["pw"])
    masked(redactor, config["native"]["list"][0])
    assert redactor(json.dumps(config)).count(VALUE.upper()) == 0


def test_a_condition_that_reads_a_secret(templater: Templater, redactor: Redactor) -> None:
    assert templater.evaluate(f"{PW} | upper == 'nope'") is False
    with pytest.raises(TemplateFailure) as info:
        templater.evaluate(f"{{}}[{PW} | upper] == 1")  # the message would quote the key
    message = str(info.value)
    assert VALUE.upper() not in message and "withheld" in message
    assert message.endswith("UndefinedError (the message is withheld: the template read a secret)")


@pytest.mark.parametrize(
    "template",
    [
        f"{{{{ ({PW} | upper) | int(base=2) + {{}}[{PW}] }}}}",
        f"{{{{ {{}}[{PW} | upper] }}}}",
        f"{{{{ ({PW} | upper) + 1 }}}}",
        f"{{{{ {PW} | upper | attr('x') | string | float(0) / 0 }}}}",
    ],
)
def test_errors_after_reading_a_secret_withhold_their_text(
    templater: Templater, template: str
) -> None:
    with pytest.raises(TemplateFailure) as info:
        templater.render(template)
    assert "withheld" in str(info.value)
    assert VALUE.upper() not in str(info.value) and VALUE not in str(info.value)


def test_an_error_that_names_only_the_template_keeps_its_text(templater: Templater) -> None:
    with pytest.raises(TemplateFailure, match="'nope' is undefined$"):
        templater.render(f"{{{{ {PW} ~ nope }}}}")
    with pytest.raises(TemplateFailure, match=r"result of '\*' too large"):
        templater.render(f"{{{{ {PW} * 10**9 }}}}")


def test_a_reference_built_from_a_secret_is_not_quoted(templater: Templater) -> None:
    with pytest.raises(SecretError) as info:
        templater.render(f"{{{{ secret('env:' ~ {PW}[:4] ~ 'X') }}}}")
    assert VALUE[:4] not in str(info.value) and "withheld" in str(info.value)


def test_encodings_a_driver_makes_are_masked_without_any_filter(
    templater: Templater, redactor: Redactor
) -> None:
    assert templater.render(f"{{{{ {PW} }}}}") == VALUE
    for encoded in (quote(VALUE, safe=""), quote(VALUE), quote_plus(VALUE), VALUE.upper()):
        masked(redactor, encoded)
    masked(redactor, json.dumps(VALUE)[1:-1])


def test_a_run_masks_derived_secrets_everywhere(pypeline_flow: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("PIPE_PW", VALUE)
    flow = f"""\
flow: {{name: derived_secrets}}
modules:
  - id: hello
    name: warn
    configs: {{required: {{message: "pw {{{{ {PW} | upper }}}} and {{{{ {PW} | urlencode }}}}"}}}}
  - id: stop
    name: fail
    configs: {{optional: {{message: "cannot log in with {{{{ {PW}[:-1] | lower }}}}"}}}}
connections:
  control: ["hello (1) stop"]
"""
    run = pypeline_flow(flow)
    assert run.exit_code == 1
    (log,) = run.of("log")
    assert log["message"] == "pw *** and ***"
    assert run.node("stop")["error"] == "cannot log in with ***"
    derived = [VALUE.upper(), quote(VALUE, safe=""), VALUE[:-1].lower(), VALUE]
    for path in run.job_dir.rglob("*"):
        if path.is_file():
            text = path.read_bytes()
            for form in derived:
                assert form.encode() not in text, (path, form)
