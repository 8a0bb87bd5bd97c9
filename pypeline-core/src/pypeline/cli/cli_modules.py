"""``pype list-modules`` and ``pype show-module``: what is installed, and how to use it.

Both read the catalog built from the installed plugins; a broken plugin is reported as a
warning and the rest are still listed.
"""

from __future__ import annotations

import json
from typing import Any

import click

from pypeline.cli.errors import fail, handle_errors

TYPES = ("source", "mod", "sink", "solo")


def _catalog() -> Any:
    from pypeline.plugins.catalog import build_catalog

    catalog = build_catalog()
    for broken in catalog.broken:
        click.echo(
            f"warning: plugin '{broken.name}' of {broken.distribution} was not loaded: "
            f"{broken.error}",
            err=True,
        )
    return catalog


@click.command("list-modules")
@click.option("--type", "type_", type=click.Choice(TYPES), help="Only modules of this type.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@handle_errors
def list_modules(type_: str | None, as_json: bool) -> None:
    """List the installed modules with their type and distribution."""
    catalog = _catalog()
    rows = []
    for name in sorted(catalog.entries):
        entry = catalog.entries[name]
        if type_ and type_ != entry.cls.TYPE:
            continue
        summary = (entry.cls.DESCRIPTION.strip().splitlines() or [""])[0]
        rows.append(
            {
                "name": name,
                "type": entry.cls.TYPE,
                "category": entry.cls.CATEGORY,
                "distribution": entry.distribution,
                "version": entry.cls.VERSION,
                "description": summary,
            }
        )
    if as_json:
        click.echo(json.dumps(rows, indent=2))
    else:
        width = max([len(r["name"]) for r in rows] + [4])
        dist_width = max([len(r["distribution"]) for r in rows] + [12])
        for r in rows:
            click.echo(
                f"{r['name']:<{width}}  {r['type']:<6}  {r['distribution']:<{dist_width}}  "
                f"{r['description']}"
            )
    for error in catalog.errors():
        click.echo(f"error: {error}", err=True)
    if catalog.errors():
        raise SystemExit(2)


@click.command("show-module")
@click.argument("name")
@handle_errors
def show_module(name: str) -> None:
    """Print a module's description, ports, options and globals."""
    catalog = _catalog()
    cls = catalog.get(name)
    if cls is None:
        suggestion = catalog.suggest(name)
        fail(
            f"unknown module '{name}'",
            f"did you mean '{suggestion}'?" if suggestion else "see: pype list-modules",
        )
    meta = cls.metadata()
    entry = catalog.entries[name]
    click.echo(
        f"{name} ({meta['type']}, {meta['category']}) from {entry.distribution} {meta['version']}"
    )
    click.echo(f"  {meta['module_path']}")
    click.echo("")
    for line in meta["description"].strip().splitlines():
        click.echo(f"  {line}")
    click.echo("")
    optional = set(meta.get("optional_input_ports", []))
    ports = [f"{p} (optional)" if p in optional else p for p in meta["input_ports"]]
    click.echo(f"input ports:  {', '.join(ports) or '-'}")
    click.echo(f"output ports: {', '.join(meta['output_ports']) or '-'}")
    click.echo(f"globals:      {', '.join(meta['globals']) or '-'}")
    click.echo(f"dask mode:    {'yes' if meta['dask'] else 'no'}")
    for section in ("required", "optional"):
        options = meta["config_schema"][section]
        click.echo(f"\n{section} options:" if options else f"\n{section} options: none")
        for key, spec in options.items():
            default = f" = {json.dumps(spec['default'])}" if "default" in spec else ""
            click.echo(f"  {key} ({spec.get('type', 'any')}){default}")
            if spec.get("description"):
                click.echo(f"      {spec['description']}")
