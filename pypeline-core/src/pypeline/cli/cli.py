"""``pype``: the CLI orchestrator (SPEC §7).

Start-up is kept instant: this file imports click and nothing else of weight; each command
imports the engine, the plugins and pandas only when it runs.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from pypeline.cli.cli_docs import docs_modules
from pypeline.cli.cli_graph import graph
from pypeline.cli.cli_modules import list_modules, show_module
from pypeline.cli.cli_registry import auto_register, clear_registry, register_module
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


@cli.command()
@click.argument("target", type=click.Path(path_type=Path))
@click.option(
    "--context",
    "context_name",
    default="default",
    show_default=True,
    help="Context whose variables templates see.",
)
@click.option(
    "--set",
    "overrides",
    multiple=True,
    metavar="KEY=VALUE",
    help="Override a context variable (repeatable).",
)
@click.option("--threads", type=click.IntRange(min=1), help="Size of the thread pool.")
@click.option(
    "--log-format",
    type=click.Choice(["console", "json"]),
    help="How progress is printed (default console; log.jsonl is always JSON).",
)
@click.option("--log-file", type=click.Path(dir_okay=False), help="Also write JSON lines here.")
@click.option(
    "--show-config",
    is_flag=True,
    help="Print the effective settings and where each came from; do not run.",
)
@click.option("--resume", is_flag=True, help="Continue the interrupted run from its checkpoint.")
@click.option("--fresh", is_flag=True, help="Discard an interrupted run's checkpoint; start over.")
@click.option(
    "--jobs-dir",
    default="jobs",
    show_default=True,
    type=click.Path(path_type=Path),
    help="Where a flow YAML given as TARGET is built.",
)
@handle_errors
def run(
    target: Path,
    context_name: str,
    overrides: tuple[str, ...],
    threads: int | None,
    log_format: str | None,
    log_file: str | None,
    show_config: bool,
    resume: bool,
    fresh: bool,
    jobs_dir: Path,
) -> None:
    """Run TARGET: a job folder, or a flow YAML built on the fly."""
    from pypeline.build.errors import UsageError
    from pypeline.run.options import RunOptions
    from pypeline.run.run import run_job

    if target.is_file():
        from pypeline.build.build import build_flow

        built = build_flow(target, jobs_dir)
        _warn(built.warnings)
        assert built.job_dir is not None
        target = built.job_dir
    elif not target.exists():
        raise UsageError(f"no such job folder or flow file: {target}")
    options = RunOptions(
        context=context_name,
        overrides=overrides,
        threads=threads,
        log_format=log_format,
        log_file=log_file,
        resume=resume,
        fresh=fresh,
    )
    if resume and fresh:
        raise UsageError("--resume and --fresh contradict each other: choose one")
    if show_config:
        from pypeline.cli.cli_config import print_config

        print_config(target, options)
        return
    result = run_job(target, options)
    if result.log_format == "console":
        from pypeline.run.observe.console import render_table

        click.echo(render_table(result.summary))
    sys.exit(result.exit_code)


cli.add_command(list_modules)
cli.add_command(graph)
cli.add_command(register_module)
cli.add_command(auto_register)
cli.add_command(clear_registry)
cli.add_command(show_module)
cli.add_command(docs_modules)


def _warn(warnings: Any) -> None:
    for warning in warnings:
        click.echo(warning.render(), err=True)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="pype")
