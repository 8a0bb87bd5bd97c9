"""Plugin discovery as a user meets it: ``pype list-modules``, ``show-module``, ``--version``.

Fake distributions are made on disk (a ``*.dist-info`` folder with ``entry_points.txt``) and put
on ``PYTHONPATH`` of a real ``pype`` process, so entry-point discovery is exercised for real:
a broken pack, a pack that clashes with the core, a pack with a typo'd hook.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest


def make_dist(root: Path, dist: str, plugin_module: str, source: str) -> dict[str, str]:
    """A minimal installed distribution whose ``pypeline`` entry point is ``plugin_module``."""
    info = root / f"{dist.replace('-', '_')}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[pypeline]\n{dist} = {plugin_module}\n")
    (root / f"{plugin_module}.py").write_text(source)
    return {"PYTHONPATH": str(root)}


def test_list_modules_shows_builtins_and_installed_packs(pype: Any) -> None:
    result = pype("list-modules", "--json")
    assert result.code == 0, result.output
    rows = {r["name"]: r for r in json.loads(result.out)}
    assert rows["filter_mod"]["distribution"] == "pypeline-core"
    assert rows["greet_source"]["distribution"] == "pypeline-mods-example"
    assert rows["greet_source"]["type"] == "source"


def test_list_modules_filters_by_type(pype: Any) -> None:
    result = pype("list-modules", "--type", "solo")
    names = [line.split()[0] for line in result.out.splitlines()]
    assert "sleep" in names and "fail" in names
    assert "filter_mod" not in names


def test_show_module_prints_ports_options_and_defaults(pype: Any) -> None:
    result = pype("show-module", "log_row")
    assert result.code == 0
    assert "input ports:  input" in result.out
    assert "limit (int) = 20" in result.out


def test_show_module_unknown_suggests(pype: Any) -> None:
    result = pype("show-module", "filter_mdo")
    assert result.code == 2
    assert result.err.splitlines()[0] == "error: unknown module 'filter_mdo'"
    assert "did you mean 'filter_mod'?" in result.err


def test_version_lists_core_and_plugins(pype: Any) -> None:
    result = pype("--version")
    assert result.code == 0
    assert result.out.startswith("pype 0.1.0")
    assert "pypeline-mods-example" in result.out


def test_broken_plugin_is_reported_and_the_others_still_load(pype: Any, tmp_path: Path) -> None:
    env = make_dist(tmp_path / "site", "pypeline-broken", "broken_plugin", "import nope_nothing\n")
    result = pype("list-modules", env=env)
    assert result.code == 0, result.output
    assert "plugin 'pypeline-broken' of pypeline-broken was not loaded" in result.err
    assert "ModuleNotFoundError" in result.err
    assert "greet_source" in result.out and "filter_mod" in result.out


def test_two_distributions_with_one_module_name_is_an_error_naming_both(
    pype: Any, tmp_path: Path
) -> None:
    source = (
        "from pypeline import BaseModule, hookimpl\n"
        "class Clash(BaseModule):\n"
        "    NAME = 'log_row'\n"
        "    TYPE = 'solo'\n"
        "@hookimpl\n"
        "def pypeline_modules():\n"
        "    return [Clash]\n"
    )
    env = make_dist(tmp_path / "site", "pypeline-clash", "clash_plugin", source)
    result = pype("list-modules", env=env)
    assert result.code == 2
    assert (
        "error: module name 'log_row' is provided by more than one distribution: "
        "pypeline-clash, pypeline-core"
    ) in result.err
    flow = "flow: {name: c}\nmodules:\n  - {id: show, name: log_row}\n"
    (tmp_path / "flow.yaml").write_text(flow)
    result = pype("validate", "flow.yaml", env=env)
    assert result.code == 2
    assert "pypeline-clash" in result.err and "pypeline-core" in result.err


def test_typo_in_a_hook_name_is_refused_not_ignored(pype: Any, tmp_path: Path) -> None:
    source = "from pypeline import hookimpl\n@hookimpl\ndef pypeline_moduels():\n    return []\n"
    env = make_dist(tmp_path / "site", "pypeline-typo", "typo_plugin", source)
    result = pype("list-modules", env=env)
    assert "plugin 'pypeline-typo' of pypeline-typo was not loaded" in result.err
    assert "pypeline_moduels" in result.err


@pytest.mark.parametrize("command", [["--help"], ["run", "--help"]])
def test_help_imports_no_plugin_and_no_pandas(command: list[str], tmp_path: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from pypeline.cli.cli import cli\n"
        f"try:\n    cli({command!r}, prog_name='pype')\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('pandas', 'dask', 'pyarrow', 'pypeline_example', 'jinja2')"
        " if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout
    assert "HEAVY []" in out
