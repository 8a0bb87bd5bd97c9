"""Each module entry checked against the installed module it names (SPEC §3, §5).

Leniency, decided here: a flow's ``configs`` has ``required:`` and ``optional:`` sections, but
the section a key is written under is a reading aid, not a contract. What matters is that the
module knows the key; its ``CONFIG_SCHEMA`` alone decides which keys are required. So a key
written under the "wrong" section is accepted; only a key under both is refused (one value
would be lost). A ``null`` optional value is accepted (the module gets ``None``); a ``null``
required value is refused: a required option that is empty is a missing one.

Templates are resolved only at run time, so their values skip the type check and are absent
from what ``check_config`` sees (the run checks them once rendered); their syntax and literal
``secret()`` references are parsed now. Entries the schema refused are skipped.
"""

from __future__ import annotations

import difflib
from functools import cache
from typing import Any

from jinja2 import TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment

from pypeline.build.load.document import FlowDoc
from pypeline.plugins.catalog import Catalog
from pypeline.sdk.base import BaseModule
from pypeline.shared.config_types import own_checks, type_problem
from pypeline.shared.errors import FlowError
from pypeline.shared.templates import has_template, reference_problems

Path = tuple[str | int, ...]


def check_modules(doc: FlowDoc, catalog: Catalog) -> list[FlowError]:
    """Unknown or conflicting module names, then each module's configs."""
    modules = doc.data.get("modules")
    if not isinstance(modules, list):
        return []
    problems: list[FlowError] = []
    for i, item in enumerate(modules):
        if not isinstance(item, dict):
            continue
        cls = _module_class(doc, catalog, i, item.get("name"), problems)
        if cls is not None:
            problems.extend(_check_configs(doc, i, item, cls))
    return problems


def _module_class(
    doc: FlowDoc, catalog: Catalog, i: int, name: Any, problems: list[FlowError]
) -> type[BaseModule] | None:
    if not isinstance(name, str):
        return None
    at = ("modules", i, "name")
    if name in catalog.conflicts:
        dists = ", ".join(sorted(catalog.conflicts[name]))
        message = f"module name '{name}' is provided by more than one distribution: {dists}"
        problems.append(doc.error(at, message, "uninstall all but one of them"))
        return None
    cls = catalog.get(name)
    if cls is None:
        close = catalog.suggest(name)
        hint = f"did you mean '{close}'?" if close else "`pype list-modules` lists them all"
        problems.append(doc.error(at, f"unknown module '{name}'", hint))
    return cls


def _check_configs(
    doc: FlowDoc, i: int, item: dict[str, Any], cls: type[BaseModule]
) -> list[FlowError]:
    """Missing, unknown, doubly given, mistyped and template-broken keys, then ``check_config``."""
    configs = item.get("configs") or {}
    if not isinstance(configs, dict):
        return []
    sections = {s: configs.get(s) or {} for s in ("required", "optional")}
    if not all(isinstance(section, dict) for section in sections.values()):
        return []
    module_id = item.get("id")
    label = f"module '{module_id}'" if isinstance(module_id, str) else f"modules[{i}]"
    label += f" ({cls.NAME})"
    required = dict(cls.CONFIG_SCHEMA.get("required", {}))
    optional = dict(cls.CONFIG_SCHEMA.get("optional", {}))
    problems: list[FlowError] = []
    given, at = _given(doc, i, sections, label, problems)
    for key in required:
        if key not in given:
            where: Path = ("modules", i, "configs" if "configs" in item else "name")
            problems.append(doc.error(where, f"{label}: missing required config key '{key}'"))
    literal: dict[str, Any] = {}
    for key, value in given.items():
        spec = required[key] if key in required else optional.get(key)
        if spec is None:
            close = _did_you_mean(key, [*required, *optional], cls.NAME)
            problems.append(doc.error(at[key], f"{label}: unknown config key '{key}'", close))
            continue
        problem = None
        if not (isinstance(value, str) and has_template(value)):  # resolved at run time
            problem = type_problem(key, value, spec.get("type", "any"), key in required)
        if problem:
            problems.append(doc.error(at[key], f"{label}: {problem[1]}", problem[2]))
        problems.extend(doc.error(at[key], f"{label}: {m}") for m in _template_errors(key, value))
        if not problem and not has_template(value):
            literal[key] = value
    # a key given as a template is absent (its default is not its value): checks skip it
    defaults = {k: s["default"] for k, s in optional.items() if "default" in s and k not in given}
    for key, message in own_checks(cls, {**defaults, **literal}):
        problems.append(
            doc.error(at.get(key, ("modules", i, "name")), f"{label}: {key}: {message}")
        )
    return problems


def _given(
    doc: FlowDoc, i: int, sections: dict[str, Any], label: str, problems: list[FlowError]
) -> tuple[dict[str, Any], dict[str, Path]]:
    """Both sections as one mapping of key → value, and key → where it is written."""
    given: dict[str, Any] = {}
    at: dict[str, Path] = {}
    for section in sorted(sections, key=lambda s: doc.where("modules", i, "configs", s)):
        for key, value in sections[section].items():
            here: Path = ("modules", i, "configs", section, key)
            if str(key) in given:
                message = f"{label}: config key '{key}' is given under both required and optional"
                problems.append(doc.error(here, message, "keep only one of them"))
            given[str(key)], at[str(key)] = value, here
    return given, at


def _template_errors(key: str, value: Any) -> list[str]:
    """Jinja's syntax errors in every template string of a value, nested ones included."""
    if isinstance(value, dict):
        return [m for k, v in value.items() for m in _template_errors(f"{key}.{k}", v)]
    if isinstance(value, list):
        return [m for n, v in enumerate(value) for m in _template_errors(f"{key}[{n}]", v)]
    if not (isinstance(value, str) and has_template(value)):
        return []
    try:
        return [f"{key}: {p}" for p in reference_problems(_sandbox().parse(value))]
    except TemplateSyntaxError as exc:
        return [f"bad template syntax in {key}: {exc.message}"]
    except RecursionError:  # Jinja parses and walks templates recursively
        return [f"bad template syntax in {key}: it nests too deeply to be read"]
    except ValueError as exc:  # an integer literal longer than Python converts, say
        return [f"bad template syntax in {key}: {exc}"]


@cache
def _sandbox() -> SandboxedEnvironment:
    return SandboxedEnvironment()


def _did_you_mean(key: str, known: list[str], module: str) -> str:
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return f"{module} takes: {', '.join(known)}" if known else f"{module} takes no config keys"
