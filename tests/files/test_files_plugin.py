"""The files pack as PYpeline discovers it: entry point, module catalogue, documentation."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys

import pytest

from pypeline import BaseModule
from pypeline_files import plugin

# SPEC §3: name → (type, input ports, output ports, required keys, globals)
EXPECTED = {
    "csv_source": ("source", [], ["data", "reject"], ["file_path"], ["row_count", "file_size"]),
    "csv_sink": ("sink", ["input"], [], ["output_path"], ["row_count"]),
    "parquet_source": ("source", [], ["data"], ["file_path"], ["row_count"]),
    "parquet_sink": ("sink", ["input"], [], ["output_path"], ["row_count"]),
    "file_list": ("solo", [], ["items"], ["directory"], ["count"]),
    "json_source": ("source", [], ["data"], ["file_path"], ["row_count", "file_size"]),
    "json_sink": ("sink", ["input"], [], ["output_path"], ["row_count"]),
    "excel_source": ("source", [], ["data"], ["file_path"], ["row_count", "file_size"]),
    "excel_sink": ("sink", ["input"], [], ["output_path"], ["row_count"]),
    "file_copy": ("solo", [], [], ["source", "target"], ["count"]),
    "file_move": ("solo", [], [], ["source", "target"], ["count"]),
    "file_delete": ("solo", [], [], ["path"], ["count"]),
    "file_archive": ("solo", [], [], ["output_path", "source"], ["count", "archive_size"]),
}
MODULES = {cls.NAME: cls for cls in plugin.pypeline_modules()}


def test_entry_point_names_the_plugin_module():
    [entry] = [e for e in importlib.metadata.entry_points(group="pypeline") if e.name == "files"]
    assert entry.load() is plugin


def test_plugin_provides_the_modules_of_the_spec_and_issue_4():
    assert sorted(MODULES) == sorted(EXPECTED)
    for name, (kind, inputs, outputs, required, globals_) in EXPECTED.items():
        cls = MODULES[name]
        assert issubclass(cls, BaseModule)
        assert (kind, inputs, outputs) == (cls.TYPE, cls.INPUT_PORTS, cls.OUTPUT_PORTS)
        assert sorted(cls.CONFIG_SCHEMA["required"]) == required
        assert globals_ == cls.GLOBALS


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_module_and_option_is_documented(name):
    cls = MODULES[name]
    assert cls.CATEGORY in {"File Sources", "File Sinks", "File Operations"}
    assert len(cls.DESCRIPTION) > 200
    for section in ("required", "optional"):
        for key, spec in cls.CONFIG_SCHEMA[section].items():
            assert spec["type"] in {"str", "int", "float", "bool", "list", "dict", "any"}, key
            assert len(spec.get("description", "")) > 15, key
            assert f"`{key}`" in cls.DESCRIPTION, f"{name}.DESCRIPTION does not explain {key}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_defaults_pass_the_build_time_checks(name):
    cls = MODULES[name]
    defaults = {k: s["default"] for k, s in cls.CONFIG_SCHEMA["optional"].items() if "default" in s}
    assert cls.check_config(defaults) == []


def test_discovery_imports_no_data_library():
    code = (
        "import sys, pypeline_files.plugin as p; p.pypeline_modules(); "
        "print(sorted(m for m in ('pandas', 'pyarrow', 'dask', 'fsspec', 'openpyxl') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
