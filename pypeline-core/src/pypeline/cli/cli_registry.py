"""``pype register-module``, ``pype auto-register``, ``pype clear-registry`` (SPEC §2, §7).

The project-local registry for modules that are not installed as a distribution; installed
packs need none of this: their entry points are the registry.
"""

from __future__ import annotations

from pathlib import Path

import click

from pypeline.cli.errors import handle_errors


@click.command("register-module")
@click.argument("target", metavar="IMPORT.PATH:CLASS")
@click.option(
    "--path",
    "folder",
    default=".",
    show_default=True,
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Folder to import it from.",
)
@handle_errors
def register_module(target: str, folder: Path) -> None:
    """Add a module class to .pypeline/registry.json."""
    from pypeline.plugins.catalog import build_catalog
    from pypeline.plugins.registry import import_class, read_registry, write_registry
    from pypeline.shared.errors import UsageError

    sys_path = str(folder.resolve())
    cls = import_class(target, sys_path)
    modules = read_registry()
    installed = build_catalog().entries.get(cls.NAME)
    if installed is not None and not installed.distribution.startswith("local registry"):
        raise UsageError(
            f"module name '{cls.NAME}' is already provided by {installed.distribution}",
            "give your module another NAME",
        )
    modules[cls.NAME] = {"module_path": target, "sys_path": sys_path}
    path = write_registry(modules)
    click.echo(f"registered {cls.NAME} ({target}) in {path}")


@click.command("auto-register")
@click.argument(
    "folder", default=".", type=click.Path(file_okay=False, exists=True, path_type=Path)
)
@handle_errors
def auto_register(folder: Path) -> None:
    """Register every module class found in the .py files under FOLDER."""
    from pypeline.plugins.registry import discover, read_registry, write_registry

    found = discover(folder)
    modules = read_registry()
    sys_path = str(folder.resolve())
    for module_path, cls in found:
        modules[cls.NAME] = {"module_path": module_path, "sys_path": sys_path}
        click.echo(f"registered {cls.NAME} ({module_path})")
    path = write_registry(modules)
    click.echo(f"{len(found)} module{'s' if len(found) != 1 else ''} in {path}")


@click.command("clear-registry")
@handle_errors
def clear_registry() -> None:
    """Remove .pypeline/registry.json."""
    from pypeline.plugins.registry import REGISTRY

    path = Path.cwd() / REGISTRY
    if path.exists():
        path.unlink()
        click.echo(f"removed {path}")
    else:
        click.echo("no local registry")
