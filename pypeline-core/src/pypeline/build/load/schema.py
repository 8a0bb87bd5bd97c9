"""The flow's shape, checked against ``pypeline/schema/flow.schema.json`` (JSON Schema 2020-12).

The schema is shipped in the package so editors and CI can use the very file the build does.
jsonschema's own messages are written for schema authors (``Additional properties are not
allowed ('confgs' was unexpected)``); here each error becomes a message in the flow's words,
located at the key it is about, with a close-match hint when a name looks mistyped. A
subschema's ``title`` names what a value should be and its ``description`` becomes the hint,
so the wording of special cases lives in the schema beside the rule.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from functools import cache
from importlib.resources import files
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from pypeline.build.load.document import FlowDoc
from pypeline.shared.errors import FlowError

_KINDS = {
    "string": "text",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping",
    "null": "empty",
}


@cache
def flow_schema() -> dict[str, Any]:
    """The flow JSON Schema, read once from the installed package."""
    text = files("pypeline").joinpath("schema", "flow.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def check_schema(doc: FlowDoc) -> list[FlowError]:
    """Every schema violation in the flow, each located and worded for its author."""
    validator = Draft202012Validator(flow_schema())
    problems: dict[FlowError, None] = {}  # one schema error can word a problem another did
    for error in validator.iter_errors(_as_json(doc.data)):
        problems.update(dict.fromkeys(_problems(doc, error)))
    return list(problems)


def _as_json(value: Any) -> Any:
    """YAML's dates as their ISO text, since JSON (and so the schema) has no date type."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_json(item) for item in value]
    return value


def _problems(doc: FlowDoc, error: ValidationError) -> list[FlowError]:
    path = tuple(error.absolute_path)
    where, value, schema = _label(path), error.instance, error.schema
    hint = schema.get("description") if isinstance(schema, dict) else None
    kind = error.validator
    if kind == "additionalProperties":
        return _unknown_keys(doc, path, error)
    if "propertyNames" in error.schema_path:
        return [
            doc.error((*path, value), f"{where}: {_show(value)} is not {schema['title']}", hint)
        ]
    if kind == "required":  # one error per missing key, all alike: report each key once
        lead = f"{where}: missing required key" if path else "missing required top-level key"
        missing = [key for key in error.validator_value if key not in value]
        return [doc.error(path, f"{lead} '{key}'", hint) for key in missing]
    if isinstance(schema, dict) and "title" in schema:
        return [doc.error(path, f"{where}: {_show(value)} is not {schema['title']}", hint)]
    if kind == "type":
        return [doc.error(path, f"{where}: {_expected(error.validator_value, value)}", hint)]
    if kind == "enum":
        options = [str(o) for o in error.validator_value]
        message = f"{where}: {_show(value)} is not one of " + ", ".join(map(repr, options))
        return [doc.error(path, message, _did_you_mean(str(value), options) or hint)]
    if kind == "minItems":
        return [doc.error(path, f"{where}: must not be empty", hint)]
    if kind == "exclusiveMinimum":
        message = f"{where}: {value} must be greater than {error.validator_value}"
        return [doc.error(path, message, hint)]
    return [doc.error(path, f"{where}: {error.message}", hint)]


def _unknown_keys(doc: FlowDoc, path: tuple[Any, ...], error: ValidationError) -> list[FlowError]:
    """One problem per unexpected key, at that key's own line, with a close match if any."""
    allowed = list(error.schema.get("properties", {}))
    problems = []
    for key in error.instance:
        if key in allowed:
            continue
        lead = f"{_label(path)}: unknown key" if path else "unknown top-level key"
        hint = _did_you_mean(str(key), allowed) or f"allowed keys: {', '.join(allowed)}"
        problems.append(doc.error((*path, key), f"{lead} '{key}'", hint))
    return problems


def _did_you_mean(word: str, options: list[str]) -> str | None:
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


def _expected(types: str | list[str], value: Any) -> str:
    names = [types] if isinstance(types, str) else list(types)
    wanted = " or ".join(_KINDS.get(name, name) for name in names if name != "null")
    return f"expected {wanted}, got {_show(value)}"


def _show(value: Any) -> str:
    """A value as the user wrote it in YAML, briefly."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null (empty)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str) and len(value) > 60:  # an error stays one readable line
        return f"{value[:40] + '...'!r} ({len(value)} characters)"
    return repr(value) if isinstance(value, str) else str(value)


def _label(path: tuple[Any, ...]) -> str:
    """``("modules", 2, "configs")`` → ``modules[2].configs``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text
