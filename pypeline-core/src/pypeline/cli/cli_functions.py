"""``pype show-functions``: the functions the expression language can call, and who gives them.

The list is what the installed plugins answer to ``pypeline_expression_functions`` (the core's
library and every pack's), merged by the facade, which refuses a name two plugins give; each
function is shown with the distribution that provides it, so an operator knows which pack a
flow's ``initials(name)`` needs. ``docs-functions`` renders the same records as Markdown.
"""

from __future__ import annotations

import difflib
import json
import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

from pypeline.cli.errors import fail, handle_errors

if TYPE_CHECKING:
    from pypeline.sdk.functions import ExpressionFunction


@dataclass(frozen=True)
class Installed:
    """One callable function and the distribution whose plugin gives it."""

    function: ExpressionFunction
    distribution: str

    def record(self) -> dict[str, Any]:
        """What ``--json`` prints and the docs page shows: the function's user-facing facts."""
        fn = self.function
        return {
            "name": fn.name,
            "signature": fn.signature,
            "group": fn.group,
            "distribution": self.distribution,
            "description": fn.description,
            "nulls": fn.nulls,
            "literal": list(fn.literal),
            "counts_nulled": fn.counts_nulled,
            "examples": list(fn.examples),
        }


def installed_functions() -> list[Installed]:
    """Every installed function, by group then name; a name two plugins give is an error."""
    from pypeline.plugins.facade import PluginHooks

    hooks = PluginHooks()
    for broken in hooks.plugins.broken:
        click.echo(
            f"warning: plugin '{broken.name}' of {broken.distribution} was not loaded: "
            f"{broken.error}",
            err=True,
        )
    functions = hooks.expression_functions()  # refuses duplicates, naming both plugins
    owners: dict[str, str] = {}
    for answer in hooks.answers("pypeline_expression_functions"):
        for name in dict(answer.value or {}):
            owners.setdefault(name, answer.distribution)
    found = [Installed(fn, owners[name]) for name, fn in functions.items()]
    return sorted(found, key=lambda f: (f.function.group, f.function.name))


@click.command("show-functions")
@click.argument("name", required=False)
@click.option("--group", help="Only functions of this group (text, conversion, ...).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@handle_errors
def show_functions(name: str | None, group: str | None, as_json: bool) -> None:
    """List the expression functions with signature, null behaviour and distribution."""
    found = installed_functions()
    if name is not None:
        found = [f for f in found if f.function.name == name]
        if not found:
            names = [f.function.name for f in installed_functions()]
            close = difflib.get_close_matches(name, names, n=1)
            hint = f"did you mean '{close[0]}'?" if close else "see: pype show-functions"
            fail(f"unknown function '{name}'", hint)
    if group is not None:
        groups = sorted({f.function.group for f in found})
        found = [f for f in found if f.function.group == group]
        if not found:
            fail(f"no function in group '{group}'", f"groups: {', '.join(groups) or 'none'}")
    if as_json:
        click.echo(json.dumps([f.record() for f in found], indent=2))
        return
    current = None
    for item in found:
        record = item.record()
        if record["group"] != current:
            if current is not None:
                click.echo("")
            current = record["group"]
            click.echo(f"{current}:")
        click.echo(f"  {record['signature']}  ({record['distribution']})")
        click.echo(
            textwrap.fill(
                record["description"], 96, initial_indent=" " * 6, subsequent_indent=" " * 6
            )
        )
        click.echo(f"      nulls: {record['nulls']}")
        if record["literal"]:
            click.echo(f"      literal arguments: {', '.join(record['literal'])}")
        if record["counts_nulled"]:
            click.echo("      counts the values it cannot convert in values_nulled")
