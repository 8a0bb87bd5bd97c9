"""Secret references, ``secret("<scheme>:<path>#<key>")``, resolved at run time only.

A resolver is any object with ``resolve(path, key) -> str``; plugins provide them by scheme
through ``pypeline_secret_resolvers``. A resolver that takes options also has
``configure(options)``: it gets the flow's ``settings.secrets.<scheme>`` mapping once, before the
run starts, so a typo in them stops the run before anything is written. Every resolved value is
handed to the run's redactor before it is returned, so it is masked in every log line and error
from then on (and the templater adds the forms it takes, see ``derived.py``).
Errors name the reference, never a value.

The build never resolves anything: ``shared.templates.reference_problems`` only checks the syntax
of the literal references in a template, which is all ``pype validate`` can know.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from pypeline.sdk.secrets import SecretError, SecretResolver
from pypeline.shared.templates import parse_reference


class EnvResolver(SecretResolver):
    """``env:NAME``: an environment variable of the process that runs the job."""

    def resolve(self, path: str, key: str | None) -> str:
        if key is not None:
            raise SecretError("an environment variable has no keys: write 'env:NAME'")
        if path not in os.environ:
            raise SecretError(f"environment variable {path!r} is not set")
        return os.environ[path]


class FileResolver(SecretResolver):
    """``file:/run/secrets/db`` (the whole file, trailing newline dropped), or ``#key`` of a
    JSON object file: the shape of Docker and Kubernetes mounted secrets."""

    def resolve(self, path: str, key: str | None) -> str:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise SecretError(f"cannot read secret file {path!r}: {exc.strerror}") from None
        if key is None:
            return text.rstrip("\r\n")
        try:
            value = json.loads(text)[key]
        except (ValueError, KeyError, TypeError):
            raise SecretError(f"secret file {path!r} has no JSON key {key!r}") from None
        return value if isinstance(value, str) else json.dumps(value)


def secret_resolvers(settings: Mapping[str, Any] | None) -> dict[str, Any]:
    """The installed resolvers by scheme, each configured with ``settings.secrets.<scheme>``.

    Called once per run, before the run writes anything: the hook makes new resolver objects
    each time, so a run's client and cache are its own. Options for a scheme nobody installed,
    or options a resolver refuses, are bad usage (exit 2), said before any module runs.
    """
    from pypeline.plugins.facade import PluginHooks
    from pypeline.shared.errors import UsageError

    resolvers = PluginHooks().secret_resolvers()
    options = dict(settings or {})
    known = ", ".join(sorted(resolvers)) or "none"
    for scheme in options:
        if scheme not in resolvers:
            hint = f"installed secret resolvers: {known}"
            raise UsageError(
                f"settings.secrets.{scheme}: no '{scheme}' resolver is installed", hint
            )
    for scheme, resolver in resolvers.items():
        given = dict(options.get(scheme) or {})
        configure = getattr(resolver, "configure", None)
        if configure is None and given:
            raise UsageError(f"settings.secrets.{scheme}: the '{scheme}' resolver takes no options")
        try:
            if configure is not None:
                configure(given)
        except SecretError as exc:
            raise UsageError(f"settings.secrets.{scheme}: {exc}") from None
    return resolvers


class SecretFunction:
    """The ``secret()`` template function of one run, caching each reference for the run.

    ``on_value`` (the run's redactor's ``add``) gets each resolved value; the templater hands
    it the forms the value commonly takes and what templates derive from it too
    (``derived.py``), so one callback decides what is masked.

    A resolver's own failure becomes a ``SecretError`` that names the reference and the kind of
    failure, without the exception's text: that text is the resolver's, and nothing promises it
    holds no credential. ``from None`` keeps it out of ``--debug`` tracebacks too.
    """

    def __init__(self, resolvers: dict[str, Any], on_value: Callable[[str], None]) -> None:
        self.on_value = on_value
        self._resolvers = resolvers
        self._cache: dict[str, str] = {}
        self._lock = threading.Lock()

    def __call__(self, reference: str) -> str:
        with self._lock:
            if reference not in self._cache:
                self._cache[reference] = _resolve(self._resolvers, reference, self.on_value)
            return self._cache[reference]


def secret_function(resolvers: dict[str, Any], on_value: Callable[[str], None]) -> SecretFunction:
    """The ``secret()`` template function of a run (see ``SecretFunction``)."""
    return SecretFunction(resolvers, on_value)


def _resolve(resolvers: dict[str, Any], reference: str, on_value: Callable[[str], None]) -> str:
    scheme, path, key = parse_reference(reference)
    resolver = resolvers.get(scheme)
    if resolver is None:
        known = ", ".join(sorted(resolvers)) or "none"
        raise SecretError(f"unknown secret scheme {scheme!r} in {reference!r} (installed: {known})")
    try:
        value = resolver.resolve(path, key)
    except SecretError as exc:
        raise SecretError(f"secret({reference!r}): {exc}") from None
    except Exception as exc:
        kind = type(exc).__name__
        raise SecretError(
            f"secret({reference!r}): the {scheme!r} resolver failed ({kind})"
        ) from None
    if not isinstance(value, str):
        value = json.dumps(value) if isinstance(value, bool | int | float) else str(value)
    on_value(value)
    return value
