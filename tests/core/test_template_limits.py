"""A flow's templates are untrusted input: rendering is bounded in time and size.

Each hostile template, whatever operator, method, filter, global or loop it abuses, fails fast
with a one-line ``TemplateFailure`` naming what was capped, staying under 2 s and 200 MB, while
the templates a real config holds render as before.
"""

from __future__ import annotations

import pytest

from .template_bounds import BITS, ITEMS, TEXT, refusal


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
