"""Templates in Jinja2's sandbox: names, native types, case-insensitive globals, hostile input."""

from __future__ import annotations

import pytest

from pypeline.run.execution.globals import GlobalStore
from pypeline.run.templater.secrets import SecretError, secret_function
from pypeline.run.templater.templater import IterInfo, TemplateFailure, Templater


@pytest.fixture
def store() -> GlobalStore:
    store = GlobalStore()
    store.set("", "Source_CSV", "row_count", 7)
    store.set("0", "inner", "row_count", 1)
    store.set("1", "inner", "row_count", 2)
    return store


@pytest.fixture
def templater(store: GlobalStore) -> Templater:
    return Templater({"min_age": 18, "tags": ["a", "b"]}, {"id": "r1", "job": "j"}, store.get)


def test_single_expression_keeps_its_type(templater: Templater) -> None:
    assert templater.render("{{ context.min_age }}") == 18
    assert templater.render("{{ context.tags }}") == ["a", "b"]
    assert templater.render("age > {{ context.min_age }}") == "age > 18"
    assert templater.render({"k": ["{{ run.job }}-{{ run.id }}"]}) == {"k": ["j-r1"]}
    assert templater.render(5) == 5


def test_globals_are_case_insensitive(templater: Templater) -> None:
    assert templater.render("{{ source_csv__ROW_COUNT }}") == 7
    assert templater.render("{{ SOURCE_CSV__row_count + 1 }}") == 8


def test_globals_prefer_the_current_frame_else_latest(templater: Templater) -> None:
    assert templater.render("{{ inner__row_count }}", frame="0") == 1
    assert templater.render("{{ inner__row_count }}", frame="1") == 2
    assert templater.render("{{ inner__row_count }}", frame="") == 2


def test_iter_names(templater: Templater) -> None:
    it = IterInfo(item={"path": "a.csv"}, index=3, count=9)
    assert templater.render("{{ iter.item.path }}#{{ iter.index }}/{{ iter.count }}", "3", it) == (
        "a.csv#3/9"
    )


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{{ nope }}", "'nope' is undefined"),
        ("{{ missing__key }}", "'missing__key' is undefined"),
        ("{{ ().__class__.__bases__ }}", "unsafe"),
        ("{{ context.__class__ }}", "unsafe"),
        ("{{ run.id.__class__.__mro__[1].__subclasses__() }}", "unsafe"),
        ("{{ cycler.__init__.__globals__.os }}", "unsafe"),
        ("{% for i in range(10**7) %}{% endfor %}", "range of 10,000,000 items too large"),
        ("{{ 10 ** 100000 }}", "integer result of '**' too large (limit 4,096 bits)"),
        ("{{ 'x' * 10**8 }}", "result of '*' too large (limit 1,000,000 characters)"),
        ("{{ context.min_age / 0 }}", "division by zero"),
    ],
)
def test_hostile_or_broken_templates_are_refused(
    templater: Templater, template: str, message: str
) -> None:
    with pytest.raises(TemplateFailure, match="template") as info:
        templater.render(template)
    assert message in str(info.value)


def test_conditions(templater: Templater) -> None:
    assert templater.evaluate("source_csv__row_count > context.min_age - 12") is True
    assert templater.evaluate("'a' in context.tags and not context.tags[1] == 'b'") is False


def test_secret_function_resolves_env_and_registers_the_value(
    monkeypatch: pytest.MonkeyPatch, store: GlobalStore
) -> None:
    from pypeline.run.templater.secrets import EnvResolver

    monkeypatch.setenv("DB_PASSWORD", "s3cr3t-value")
    seen: list[str] = []
    secret = secret_function({"env": EnvResolver()}, seen.append)
    templater = Templater({}, {}, store.get, secret)
    assert templater.render("{{ secret('env:DB_PASSWORD') }}") == "s3cr3t-value"
    assert seen[:2] == ["s3cr3t-value", "S3CR3T-VALUE"]  # the value, then the forms it takes
    assert templater.render("{{ secret('env:DB_PASSWORD') }}") == "s3cr3t-value"
    assert seen.count("S3CR3T-VALUE") == 1  # resolved and its forms registered once a run
    with pytest.raises(SecretError, match="unknown secret scheme 'vault'"):
        templater.render("{{ secret('vault:kv/db#pw') }}")
    with pytest.raises(SecretError, match="environment variable 'NOPE_NOT_SET' is not set"):
        templater.render("{{ secret('env:NOPE_NOT_SET') }}")
