"""A flow's templates are untrusted input: rendering is bounded in time and size.

Each hostile template, whatever operator, method, filter, global or loop it abuses, fails fast
with a one-line ``TemplateFailure`` naming what was capped, staying under 2 s and 200 MB, while
the templates a real config holds render as before.
"""

from __future__ import annotations

import time
import tracemalloc
from typing import Any

import pytest

from pypeline.run.templater.templater import TemplateFailure, Templater

SECONDS, BYTES = 2.0, 200_000_000
TEXT = "too large (limit 1,000,000 characters)"
BITS = "too large (limit 4,096 bits)"
ITEMS = "too large (limit 100,000 items)"


def make(render_seconds: float | None = None) -> Templater:
    def lookup(frame: str, module_id: str, key: str) -> Any:
        raise KeyError(key)

    context = {"min_age": 18, "tags": ["a", "b"], "base": "/data"}
    return Templater(context, {"id": "r1", "job": "j"}, lookup, render_seconds=render_seconds)


def refusal(template: str, templater: Templater | None = None) -> str:
    """The one-line error ``template`` fails with, within the time and memory bounds."""
    templater = templater or make()
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(TemplateFailure) as info:
            templater.render(template)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    elapsed = time.monotonic() - started
    assert elapsed < SECONDS, f"took {elapsed:.1f} s"
    assert peak < BYTES, f"peaked at {peak / 1e6:.0f} MB"
    message = str(info.value)
    assert message.startswith("template ") and "\n" not in message
    return message


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{ ((9 ** 999) ** 999) ** 999 }}", f"integer result of '**' {BITS}"),
        ("{{ 10 ** 100000 }}", f"integer result of '**' {BITS}"),
        ("{{ (2 ** 4000) * (2 ** 4000) }}", f"integer result of '*' {BITS}"),
        ("{{ 'ab' * 10**9 }}", f"result of '*' {TEXT}"),
        ("{{ [1] * 10**9 }}", f"result of '*' {TEXT}"),
        ("{{ [[1] * 1000] * 100000 }}", f"result of '*' {TEXT}"),
        ("{{ '%0300000000d' % 1 }}", f"result of '%' {TEXT}"),
        ("{{ '%*d' % (10**9, 1) }}", f"result of '%' {TEXT}"),
        ("{{ ('%(a)s' * 100000) % {'a': 'x' * 1000} }}", f"result of '%' {TEXT}"),
        ("{{ 'x' * 600000 + 'y' * 600000 }}", f"result of '+' {TEXT}"),
        ("{{ 'x' * 999999 ~ 'y' * 999999 }}", f"result of '~' {TEXT}"),
    ],
)
def test_every_operator_is_capped(template: str, expected: str) -> None:
    assert refusal(template).endswith(expected)


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{ 'x'.center(300000000) }}", f"result of center() {TEXT}"),
        ("{{ 'x'.zfill(10**9) }}", f"result of zfill() {TEXT}"),
        ("{{ ('x' * 999999).replace('x', 'yy') }}", f"result of replace() {TEXT}"),
        ("{{ ('y' * 100000).join('abcdefghijklmnop') }}", f"result of join() {TEXT}"),
        ("{{ ('\t' * 1000).expandtabs(100000) }}", f"result of expandtabs() {TEXT}"),
        ("{{ (1).to_bytes(10**9, 'big') }}", f"result of to_bytes() {TEXT}"),
        ("{{ '{:>300000000}'.format(1) }}", f"result of format() {TEXT}"),
        ("{{ '{:.300000000f}'.format(1.0) }}", f"result of format() {TEXT}"),
        ("{{ ('{0}' * 100000).format('x' * 100000) }}", f"result of format() {TEXT}"),
        ("{{ '{a}{a}'.format_map({'a': 'x' * 600000}) }}", f"result of format() {TEXT}"),
        ("{{ lipsum(n=3000000) }}", f"result of lipsum() {TEXT}"),
        ("{{ range(10**9) | list }}", f"range of 1,000,000,000 items {ITEMS}"),
    ],
)
def test_methods_formats_and_globals_are_capped_before_they_run(
    template: str, expected: str
) -> None:
    assert refusal(template).endswith(expected)


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{ 'x' | center(300000000) }}", f"result of filter 'center' {TEXT}"),
        ("{{ 'a\nb' | indent(10**9) }}", f"result of filter 'indent' {TEXT}"),
        ("{{ 'a' | indent(10**9) }}", f"result of filter 'indent' {TEXT}"),
        ("{{ ('a' * 1000000) | wordwrap(1) }}", "wordwrap' too large (limit 50,000 lines)"),
        ("{{ 'a' | wordwrap(1, wrapstring='x' * 10**6) }}", f"filter 'wordwrap' {TEXT}"),
        ("{{ [1] | batch(10**9, 0) | list }}", f"linecount of filter 'batch' {ITEMS}"),
        ("{{ [1] | slice(10**9) | list }}", f"slices of filter 'slice' {ITEMS}"),
        ("{{ ('x' * 999999) | replace('', 'yy') }}", f"result of filter 'replace' {TEXT}"),
        ("{{ '%0300000000d' | format(1) }}", f"result of filter 'format' {TEXT}"),
        ("{{ range(100000) | join('y' * 100) }}", f"result of filter 'join' {TEXT}"),
        ("{{ range(1000) | map('center', 999999) | list }}", f"filter 'map' {TEXT}"),
        ("{{ range(10**5) | map('string') | map('center', 999) | list }}", f"filter 'map' {TEXT}"),
        ("{{ range(10**5) | map('string') | map('center', 999) | list | sort }}", "'map' " + TEXT),
    ],
)
def test_every_filter_is_capped(template: str, expected: str) -> None:
    assert refusal(template).endswith(expected)


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        (
            "{% set ns = namespace(s='x') %}{% for i in range(100) %}"
            "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s | length }}",
            f"result of '~' {TEXT}",
        ),
        (
            "{% set ns = namespace(s='x') %}{% for i in range(100) %}"
            "{% set ns.s = ns.s + ns.s %}{% endfor %}",
            f"result of '+' {TEXT}",
        ),
        (  # nested literals grow exponentially with the source
            "{% set s = 'x' * 999999 %}{% set l = [s, s, s, s, s, s, s, s] %}{{ l | length }}",
            f"list {TEXT}",
        ),
        (  # text written into a block's buffer counts too
            "{% set x %}{% for i in range(100000) %}{{ 'x' * 1000 }}{% endfor %}{% endset %}",
            "template output too large (limit 10,000,000 characters)",
        ),
        ("{% for i in range(10) %}{{ 'x' * 200000 }}{% endfor %}", f"template result {TEXT}"),
        ("{{ context.tags.append(1) }}", "access to attribute 'append' of 'list' object is unsafe"),
        (
            "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}",
            "RecursionError: maximum recursion depth exceeded",
        ),
    ],
)
def test_growth_in_loops_blocks_and_macros_is_capped(template: str, expected: str) -> None:
    assert expected in refusal(template)


SLOW = "range(100000) | " + " | ".join(["map('abs')"] * 40) + " | sum > 0"  # 4M filter calls


@pytest.mark.parametrize(
    "template",
    [
        "{% for i in range(10**5) %}{% for j in range(10**5) %}{% endfor %}{% endfor %}",
        "{% set r = range(10**5) %}{% for i in r %}{% for j in r %}{% for k in r %}"
        "{% endfor %}{% endfor %}{% endfor %}",  # no call, no output: only the loops tick
        "{% for i in range(10**5) %}{% for j in [1] * 10**5 %}{{ j }}{% endfor %}{% endfor %}",
        "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(60) }}",
        "{{ " + SLOW + " }}",
    ],
)
def test_a_render_stops_when_its_time_is_up(template: str) -> None:
    message = refusal(template, make(render_seconds=0.5))
    assert message.endswith("template took too long (limit 0.5 s)")


def test_a_condition_and_a_whole_config_have_one_budget_each() -> None:
    templater = make(render_seconds=0.5)
    started = time.monotonic()
    with pytest.raises(TemplateFailure, match=r"took too long \(limit 0.5 s\)"):
        templater.evaluate(SLOW)
    with pytest.raises(TemplateFailure, match=r"took too long \(limit 0.5 s\)"):
        templater.render({"a": [f"{{{{ {SLOW} }}}}"] * 3, "b": "{{ run.id }}"})
    assert time.monotonic() - started < SECONDS
    assert templater.evaluate("run.id == 'r1'") is True  # the next one starts afresh


def test_the_engine_can_give_less_time_than_the_budget() -> None:
    """What is left of the job's timeout, when less than the render budget, bounds a render."""
    with pytest.raises(TemplateFailure, match=r"took too long \(limit 0.2 s\)$"):
        make().render(f"{{{{ {SLOW} }}}}", seconds=0.2)
    with pytest.raises(TemplateFailure, match=r"took too long \(limit 0 s\)$"):
        make().evaluate(SLOW, seconds=-1)
    assert make().render("{{ run.id }}", seconds=60) == "r1"


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{ 9 ** 999 }}", 9**999),
        ("{{ '%05d|%-4s|%.2f' % (42, 'ab', 3.14159) }}", "00042|ab  |3.14"),
        ("{{ '{:>8}|{:08.3f}'.format('x', 2.5) }}", "       x|0002.500"),
        ("{{ 'ab' | center(6) }}|{{ 'a\nb' | indent(2) }}", "  ab  |a\n  b"),
        ("{{ range(100000) | sum }}", 4999950000),
        ("{{ [[1], [2, 3]] | sum(start=[]) }}", [1, 2, 3]),
        ("{{ context.tags | map('upper') | join('-') }}", "A-B"),
        ("{{ ([1, 2] * 3) | batch(4, 0) | list }}", [[1, 2, 1, 2], [1, 2, 0, 0]]),
        ("{% set a, b = 1, 2 %}{{ a + b }}{{ (a, b) }}{{ {'k': [a]} }}", "3(1, 2){'k': [1]}"),
        (
            "{% set ns = namespace(n=0) %}{% for t in context.tags %}"
            "{% set ns.n = ns.n + loop.length %}{% endfor %}{{ ns.n }}",
            "4",
        ),
        ("{% macro q(x) %}'{{ x }}'{% endmacro %}{{ context.tags | map('upper') | join }}", "AB"),
        ("{% filter upper %}{{ run.job }}-{{ run.id }}{% endfilter %}", "J-R1"),
        ("{{ ('x' * 999000) | length }}", 999000),
        ("{{ context.base ~ '/' ~ 'part-' ~ '%03d' % 7 ~ '.csv' }}", "/data/part-007.csv"),
    ],
)
def test_what_real_configs_do_still_renders(template: str, expected: Any) -> None:
    assert make().render(template) == expected


def test_a_hostile_template_fails_its_module_in_a_run(pypeline_flow: Any) -> None:
    flow = """\
flow: {name: hostile}
settings: {timeout: 60}
modules:
  - id: bomb
    name: warn
    configs: {required: {message: "{{ 'x'.center(300000000) }}"}}
"""
    started = time.monotonic()
    run = pypeline_flow(flow)
    assert run.exit_code == 1
    assert run.node("bomb")["status"] == "failed"
    assert run.node("bomb")["error"] == (
        "template \"'x'.center(300000000)\": result of center() too large "
        "(limit 1,000,000 characters)"
    )
    assert time.monotonic() - started < 30
