"""A template's render is bounded in time: each render has its budget, a condition and a whole
config have one each, the engine may give less, and real configs still render in time."""

from __future__ import annotations

import time
from typing import Any

import pytest

from pypeline.run.templater.templater import TemplateFailure

from .template_bounds import SECONDS, make, refusal

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
