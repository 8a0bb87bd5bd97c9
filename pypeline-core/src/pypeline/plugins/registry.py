"""The project-local module registry: ``.pypeline/registry.json`` in the working directory.

For modules that are not installed as a distribution (a folder of modules in a project), SPEC §2:
``pype register-module``, ``pype auto-register`` and ``pype clear-registry`` keep it; the
catalog looks it up after the entry points. Each entry names the class as
``package.module:Class`` and the folder that must be on ``sys.path`` to import it; the build
copies that folder into the node's metadata so the job runs from anywhere on this machine.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from pypeline.sdk.base import BaseModule
from pypeline.shared.errors import UsageError

REGISTRY = Path(".pypeline") / "registry.json"
SKIP_DIRS = {".git", ".tox", ".venv", "venv", "__pycache__", "node_modules", "jobs", "build"}


def read_registry(root: Path | None = None) -> dict[str, dict[str, str]]:
    """``NAME → {"module_path": ..., "sys_path": ...}``; empty when there is no registry."""
    path = (root or Path.cwd()) / REGISTRY
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path} is not valid JSON: {exc}", "pype clear-registry") from None
    modules: dict[str, dict[str, str]] = data.get("modules", {})
    return modules


def write_registry(modules: dict[str, dict[str, str]], root: Path | None = None) -> Path:
    """Replace the registry atomically."""
    path = (root or Path.cwd()) / REGISTRY
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".registry-")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump({"modules": dict(sorted(modules.items()))}, out, indent=2)
        out.write("\n")
    os.replace(tmp, path)
    return path


def import_class(module_path: str, sys_path: str | None = None) -> type[BaseModule]:
    """``package.module:Class`` → the class, with ``sys_path`` importable first."""
    if sys_path and sys_path not in sys.path:
        sys.path.insert(0, sys_path)
    mod_name, sep, qualname = module_path.partition(":")
    if not sep or not mod_name or not qualname:
        raise UsageError(f"expected 'package.module:Class', not {module_path!r}")
    try:
        obj: Any = importlib.import_module(mod_name)
        for part in qualname.split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError) as exc:
        raise UsageError(f"cannot import {module_path}: {exc}") from None
    if not (isinstance(obj, type) and issubclass(obj, BaseModule)) or not obj.NAME:
        raise UsageError(f"{module_path} is not a BaseModule subclass with a NAME")
    return obj


def discover(folder: Path) -> list[tuple[str, type[BaseModule]]]:
    """Every BaseModule subclass with a NAME defined in the ``.py`` files under ``folder``."""
    root = folder.resolve()
    found: list[tuple[str, type[BaseModule]]] = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if any(part in SKIP_DIRS or part.startswith(".") for part in rel.parts[:-1]):
            continue
        if path.name == "__init__.py":
            continue
        dotted = ".".join(rel.with_suffix("").parts)
        if str(root) not in sys.path:
            sys.path.insert(0, str(root))
        try:
            module = importlib.import_module(dotted)
        except Exception as exc:
            raise UsageError(f"cannot import {path}: {type(exc).__name__}: {exc}") from None
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, BaseModule)
                and value.__module__ == dotted
                and value.NAME
            ):
                found.append((f"{dotted}:{value.__qualname__}", value))
    return found
