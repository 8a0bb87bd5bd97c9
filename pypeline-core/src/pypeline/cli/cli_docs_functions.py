"""``pype docs-functions``: the expression language and its functions as one Markdown page.

``docs/expressions.md`` is this command's output: the language itself (operators, nulls,
``values_nulled``, how a pack adds a function) is the hand-written ``INTRO`` below, and the
function reference is generated from the installed ``ExpressionFunction`` records, the single
source that ``pype show-functions`` prints too. A test regenerates the page and fails when the
committed copy differs. ``--distribution`` limits the reference to some packs, so the
repository's page leaves out test-only ones. Functions are sorted by group, then name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from pypeline.cli.cli_docs import cell, check_distributions, page_options, publish
from pypeline.cli.cli_functions import installed_functions
from pypeline.cli.errors import handle_errors

INTRO = """\
Expressions are what `filter_mod`'s `condition` and `compute_mod`'s `expressions` (and any
module that takes an expression) are written in: a small, safe language evaluated on whole
columns at once, in pandas and in Dask mode alike. Flows are YAML that anyone may edit, so an
expression is parsed and checked against a whitelist when the flow is built, and it never
reaches Python's `eval`.

## The language

- **Values**: column names (in `back ticks` when a name has spaces or symbols: `` `unit price` ``),
  numbers, `'text'` or `"text"`, `true`/`false` (or `True`/`False`), `null` (or `None`).
- **Arithmetic**: `+ - * / // % **` and unary `-`; `+` on two text values joins them.
- **Comparisons**: `== != < <= > >=` (chainable: `0 < x <= 10`), `in` / `not in` a literal list
  (`country in ['FR', 'DE']`), `x is null` / `x is not null`.
- **Logic**: `and`, `or`, `not` (also `&`, `|`, `~`, with the same low precedence); parentheses.
- **Function calls**: `name(arg, ...)` where `name` is one of the functions below; arguments are
  expressions (columns, literals, nested calls: `lower(strip(name))`).
- **Nothing else**: no attribute access (`price.replace(...)`), subscripts, lambdas,
  comprehensions or names starting with `__`, and no function that is not registered.

The build checks every call: an unknown function is a build error with a close-match hint and
the file:line of the option, a wrong number of arguments is an error that shows the signature,
and parameters marked *literal* (a regular expression, a date format) must be written as
literals, so they are checked before the run.

## Nulls

A null argument gives null, unless the function says otherwise (`coalesce`, `is_null`,
`concat` and the like are made to handle nulls; each function's *nulls* line below says what it
does). Arithmetic with a null gives null. Every comparison with a null is false, `!=` too: test
nulls with `x is null`, `is_null(x)`, or replace them with `coalesce(x, 0)`.

## values_nulled

A conversion that cannot read a value (`to_number('n/a')`, `to_date('31/02/2024', '%d/%m/%Y')`)
gives null instead of failing the job, and the module counts it: the global `values_nulled` of
the module (in the run summary, the log and the console table) is the number of values that
became null that way, so a bad file shows up as a count instead of a crash. The functions that
do this say *counts the values it cannot convert* below. Drop or fill the nulls afterwards with
`drop_nulls_mod` or `fill_nulls_mod`.

## Example

```yaml
  - id: clean
    name: compute_mod
    configs:
      required:
        expressions:
          name: lower(strip(name))            # replaces the column
          price: to_number(price_text)        # '$1,715.0' -> 1715.0, '90%' -> 0.9
          approved: iata_approved == 't'
          label: if_else(price > 1000, 'dear', 'cheap')
```

## Adding a function from a pack

A pack gives functions through the hook `pypeline_expression_functions`: a dict of name →
`pypeline.sdk.functions.ExpressionFunction`. The implementation is called once per evaluation
(once per Dask partition) with a `FunctionContext` first, then whole pandas Series for the
arguments that read columns and plain values for literals; it returns a Series aligned with the
frame (or a scalar), and never loops over rows in Python. Two installed packs giving the same
name is an error naming both. The test pack `pypeline-mods-example` adds `initials(s)`:

```python
from pypeline import hookimpl
from pypeline.sdk.functions import ExpressionFunction, FunctionContext


def _initials(fctx: FunctionContext, s):
    text = fctx.series(s).astype("string")
    return text.str.replace(r"\\W*(\\w)\\w*|\\W+", r"\\1", regex=True).str.upper()


INITIALS = ExpressionFunction(
    name="initials",
    params=("s",),
    implementation=_initials,
    description="The first letter of each word of s, upper-cased.",
    group="text",
    nulls="a null gives null",
)


@hookimpl
def pypeline_expression_functions():
    return {INITIALS.name: INITIALS}
```

`pype show-functions` then lists `initials(s)` with the distribution that provides it."""


@click.command("docs-functions")
@page_options("functions")
@handle_errors
def docs_functions(output: Path | None, distributions: tuple[str, ...]) -> None:
    """Write the expression language and its functions as Markdown (docs/expressions.md)."""
    check_distributions(distributions)
    records = [
        f.record()
        for f in installed_functions()
        if not distributions or f.distribution in distributions
    ]
    command = "pype docs-functions" + "".join(f" -d {d}" for d in distributions)
    text = render(records, f"{command} -o {output or 'docs/expressions.md'}")
    publish(text, output, f"{len(records)} functions")


def render(records: list[dict[str, Any]], command: str) -> str:
    """The whole page: the language, an index table of the functions, one section per group."""
    lines = ["# Expressions", "", f"<!-- Generated by `{command}`; do not edit by hand. -->", ""]
    lines += [INTRO, "", "## Functions", ""]
    if not records:
        return "\n".join([*lines, "No function is installed."]) + "\n"
    lines += ["| function | group | distribution | nulls |", "|---|---|---|---|"]
    for r in records:
        lines.append(
            f"| [`{r['signature']}`](#{r['name']}) | {r['group']} | {r['distribution']} "
            f"| {cell(r['nulls'])} |"
        )
    group = None
    for r in records:
        if r["group"] != group:
            group = r["group"]
            lines += ["", f"### {group}"]
        lines += ["", *_entry(r)]
    return "\n".join(lines) + "\n"


def _entry(r: dict[str, Any]) -> list[str]:
    lines = [f'<a id="{r["name"]}"></a>**`{r["signature"]}`** · {r["distribution"]}', ""]
    lines += [" ".join(r["description"].split()), "", f"- nulls: {r['nulls']}"]
    if r["literal"]:
        lines.append("- literal arguments: " + ", ".join(f"`{p}`" for p in r["literal"]))
    if r["counts_nulled"]:
        lines.append("- counts the values it cannot convert in `values_nulled`")
    if r["examples"]:
        lines.append("- examples: " + ", ".join(f"`{e}`" for e in r["examples"]))
    return lines
