"""The project-local registry: modules that are not installed as a distribution (SPEC §2)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

MODULE = '''
from pypeline import BaseModule


class Shout(BaseModule):
    """A project's own module, kept in a folder of the project."""

    NAME = "shout"
    TYPE = "solo"
    GLOBALS = ["said"]
    CONFIG_SCHEMA = {"required": {"text": {"type": "str", "description": "what"}}, "optional": {}}

    async def run(self, inputs, ctx):
        ctx.logger.info(self.config["text"].upper())
        ctx.set_global("said", self.config["text"])
        return {}
'''

FLOW = """
flow: {name: local}
modules:
  - {id: hey, name: shout, configs: {required: {text: hello}}}
"""


def _project(tmp_path: Path) -> None:
    (tmp_path / "mymods").mkdir()
    (tmp_path / "mymods" / "shouting.py").write_text(MODULE)
    (tmp_path / "flow.yaml").write_text(FLOW)


def test_auto_register_then_build_and_run(pype: Any, tmp_path: Path) -> None:
    _project(tmp_path)
    result = pype("auto-register", "mymods")
    assert result.code == 0, result.output
    assert "registered shout (shouting:Shout)" in result.out
    registry = json.loads((tmp_path / ".pypeline" / "registry.json").read_text())
    assert registry["modules"]["shout"]["module_path"] == "shouting:Shout"
    listed = pype("list-modules")
    row = next(line for line in listed.out.splitlines() if line.startswith("shout "))
    assert "local registry" in row
    ran = pype("run", "flow.yaml", "--log-format", "json")
    assert ran.code == 0, ran.output
    assert '"message": "HELLO"' in ran.err


def test_register_module_and_clear_registry(pype: Any, tmp_path: Path) -> None:
    _project(tmp_path)
    result = pype("register-module", "shouting:Shout", "--path", "mymods")
    assert result.code == 0, result.output
    assert pype("validate", "flow.yaml").code == 0
    assert pype("clear-registry").code == 0
    assert not (tmp_path / ".pypeline" / "registry.json").exists()
    refused = pype("validate", "flow.yaml")
    assert refused.code == 2
    assert "unknown module 'shout'" in refused.err


def test_register_refuses_a_name_an_installed_pack_has(pype: Any, tmp_path: Path) -> None:
    (tmp_path / "clash.py").write_text(MODULE.replace('NAME = "shout"', 'NAME = "log_row"'))
    result = pype("register-module", "clash:Shout")
    assert result.code == 2
    assert "module name 'log_row' is already provided by pypeline-core" in result.err


def test_register_bad_path_is_a_one_line_error(pype: Any) -> None:
    result = pype("register-module", "nowhere.at_all:Thing")
    assert result.code == 2
    assert result.err.startswith("error: cannot import nowhere.at_all:Thing")


def test_a_broken_registry_entry_is_a_warning(pype: Any, tmp_path: Path) -> None:
    (tmp_path / ".pypeline").mkdir()
    (tmp_path / ".pypeline" / "registry.json").write_text(
        json.dumps({"modules": {"gone": {"module_path": "gone_mod:Gone", "sys_path": "/nowhere"}}})
    )
    result = pype("list-modules")
    assert result.code == 0
    assert "plugin 'gone' of local registry (.pypeline/registry.json) was not loaded" in result.err
