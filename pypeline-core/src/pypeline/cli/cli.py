"""``pype``: the CLI orchestrator (SPEC §7).

Start-up is kept instant: this file imports click and nothing else of weight; each command
imports the engine, the plugins and pandas only when it runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from pypeline.cli.cli_docs import docs_modules
from pypeline.cli.cli_docs_functions import docs_functions
from pypeline.cli.cli_functions import show_functions
from pypeline.cli.cli_graph import graph
from pypeline.cli.cli_modules import list_modules, show_module
from pypeline.cli.cli_registry import auto_register, clear_registry, register_module
from pypeline.cli.cli_run import run
from pypeline.cli.errors import handle_errors


def _version(ctx: click.Context, _param: Any, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from pypeline import __version__
    from pypeline.plugins.plugins import get_plugins

    click.echo(f"pype {__version__}")
    seen = set()
    for plugin in get_plugins().describe():
        if plugin["distribution"] not in seen:
            seen.add(plugin["distribution"])
            click.echo(f"  {plugin['distribution']} {plugin['version']}")
    ctx.exit()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_version,
    help="Show the core's and every plugin's version.",
)
@click.option("--debug", is_flag=True, help="Show tracebacks (also PYPELINE_DEBUG=1).")
def cli(debug: bool) -> None:
    """PYpeline: build Talend-style ETL flows from YAML and run them."""


@cli.command()
@click.argument("flow", type=click.Path(dir_okay=False, path_type=Path))
@handle_errors
def validate(flow: Path) -> None:
    """Check FLOW (YAML) and report every problem as file:line:col: message."""
    from pypeline.build.build import validate_flow

    built = validate_flow(flow)
    _warn(built.warnings)
    click.echo(
        f"{flow}: ok ({len(built.plan.nodes)} modules, {len(built.plan.subflows)} sub flows)"
    )


@cli.command()
@click.argument("flow", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    "out_dir",
    default="jobs",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder of job folders.",
)
@handle_errors
def build(flow: Path, out_dir: Path) -> None:
    """Validate FLOW and write its job folder."""
    from pypeline.build.build import build_flow

    built = build_flow(flow, out_dir)
    _warn(built.warnings)
    click.echo(f"built {built.job_dir}")


cli.add_command(run)
cli.add_command(list_modules)
cli.add_command(graph)
cli.add_command(register_module)
cli.add_command(auto_register)
cli.add_command(clear_registry)
cli.add_command(show_module)
cli.add_command(docs_modules)
cli.add_command(show_functions)
cli.add_command(docs_functions)


def _warn(warnings: Any) -> None:
    for warning in warnings:
        click.echo(warning.render(), err=True)


def main() -> None:
    """Console-script entry point."""
    try:
        cli(prog_name="pype")
    except BrokenPipeError:  # a pipe closed while click printed usage or help
        from pypeline.cli.errors import quiet_broken_pipe

        quiet_broken_pipe()
