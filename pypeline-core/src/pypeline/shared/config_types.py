"""The rules a module's config obeys, one definition for both phases (SPEC §3, §5).

Its ``CONFIG_SCHEMA`` types and its own ``check_config``. The build applies them to the literal
values of a flow (``pype validate``), the run to the values its templates rendered, so a value
gets the same verdict and the same words whichever phase sees it. A bool is not an int (YAML
reads ``yes`` as a bool), but an int is a fine float; ``any`` and a type this rule does not know
accept every value.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pypeline.sdk.base import BaseModule

TYPES: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "int": (int,),
    "float": (int, float),
    "bool": (bool,),
    "list": (list,),
    "dict": (dict,),
}

#: ``(key, message, hint)``: what is wrong with one value, and how to fix it when that is known.
TypeProblem = tuple[str, str, str | None]


def type_problem(key: str, value: Any, declared: str, required: bool) -> TypeProblem | None:
    """Whether ``value`` fits the ``declared`` type; an empty (null) value only when optional."""
    if value is None:
        return (key, f"{key} must not be empty", "give it a value") if required else None
    allowed = TYPES.get(declared)
    if allowed is None:
        return None
    if isinstance(value, allowed) and (bool in allowed or not isinstance(value, bool)):
        return None
    shown = repr(value) if isinstance(value, str) else str(value)
    if isinstance(value, bool):
        shown = "true" if value else "false"
    scalar = not isinstance(value, (list, dict))
    hint = "quote it to make it text" if declared == "str" and scalar else None
    return key, f"{key} must be {declared}, got {type(value).__name__} {shown}", hint


def rendered_problems(
    schema: dict[str, dict[str, dict[str, Any]]], config: dict[str, Any]
) -> list[TypeProblem]:
    """Every rendered value of ``config`` checked against its declared type, in config order.

    The build's rule, with one allowance: a number or a bool rendered into a ``str`` option is
    text (a template's value is text wherever it sits in longer text; ``"{{ n }}"`` alone keeps
    the number only so that ``int`` options can take it).
    """
    required = schema.get("required", {})
    optional = schema.get("optional", {})
    problems: list[TypeProblem] = []
    for key, value in config.items():
        spec = required[key] if key in required else optional.get(key)
        declared = "any" if spec is None else spec.get("type", "any")
        if declared == "str" and isinstance(value, (int, float)):
            continue
        problem = type_problem(key, value, declared, key in required)
        if problem:
            problems.append(problem)
    return problems


def own_checks(cls: type[BaseModule], config: dict[str, Any]) -> list[tuple[str, str]]:
    """The module's ``check_config``; a crash in it is the module's bug, reported, not raised."""
    try:
        return list(cls.check_config(config))
    except Exception as exc:
        return [("check_config", f"raised {type(exc).__name__}: {exc}")]
