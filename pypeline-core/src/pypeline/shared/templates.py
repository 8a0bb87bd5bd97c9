"""Template syntax both phases read: what counts as a template, braces in conditions, and the
shape of a ``secret('<scheme>:<path>#<key>')`` reference.

The build checks syntax only (``pype validate`` has not the run's machine); the run renders and
resolves. Keeping the syntax here lets both agree without importing each other.
"""

from __future__ import annotations

import re
from typing import Any

from pypeline.sdk.secrets import SecretError

SCHEME_RE = re.compile(r"[a-z][a-z0-9_+.-]*")
MAX_REFERENCE = 256
REFERENCE_FORM = (
    "'<scheme>:<path>[#<key>]', e.g. 'env:DB_PASSWORD' or 'vault:secret/data/db#password'"
)
BRACES_RE = re.compile(r"\{\{(.*?)\}\}", re.S)


def has_template(value: Any) -> bool:
    """Whether a config value is rendered at run time: a text, or a text inside a list or a
    mapping, holds ``{{ ... }}`` or ``{% ... %}``."""
    if isinstance(value, str):
        return "{{" in value or "{%" in value
    if isinstance(value, dict):
        return any(has_template(v) for v in value.values())
    if isinstance(value, list):
        return any(has_template(v) for v in value)
    return False


def strip_braces(condition: str) -> str:
    """A condition is one expression; braces are optional: ``{{ x }} > 3`` means ``(x) > 3``."""
    text = condition.strip()
    if text.startswith("{{") and text.endswith("}}") and text.count("{{") == 1:
        return text[2:-2].strip()
    return BRACES_RE.sub(lambda m: f"({m.group(1).strip()})", text)


def parse_reference(reference: Any) -> tuple[str, str, str | None]:
    """``"vault:secret/data/db#password"`` → ``("vault", "secret/data/db", "password")``.

    The scheme is lowercase, like a URL's, so ``C:\\dir`` is not mistaken for one; an empty
    path or an empty key after ``#`` is refused rather than guessed at, and so is a reference
    too long to be one (errors quote the reference; a template could build a huge one).
    """
    if not isinstance(reference, str):
        raise SecretError(f"secret() takes a reference text {REFERENCE_FORM}")
    if len(reference) > MAX_REFERENCE:
        raise SecretError(f"secret() reference too long (limit {MAX_REFERENCE} characters)")
    scheme, sep, rest = reference.partition(":")
    path, hash_sign, key = rest.partition("#")
    if not sep or not SCHEME_RE.fullmatch(scheme) or not path:
        raise SecretError(f"bad secret reference {reference!r}: expected {REFERENCE_FORM}")
    if hash_sign and not key:
        raise SecretError(f"bad secret reference {reference!r}: no key after '#'")
    return scheme, path, key or None


def reference_problems(template: Any) -> list[str]:
    """Syntax problems of the literal ``secret('...')`` references in a parsed Jinja template.

    A reference built at run time (``secret('env:' ~ context.var)``) cannot be checked before the
    run and is left alone; whether its scheme is installed is the run's machine's business.
    """
    from jinja2 import nodes

    problems: list[str] = []
    for call in template.find_all(nodes.Call):
        if not (isinstance(call.node, nodes.Name) and call.node.name == "secret"):
            continue
        if len(call.args) != 1 or call.kwargs or call.dyn_args or call.dyn_kwargs:
            problems.append(f"secret() takes one reference {REFERENCE_FORM}")
        elif isinstance(call.args[0], nodes.Const):
            try:
                parse_reference(call.args[0].value)
            except SecretError as exc:
                problems.append(str(exc))
    return problems
