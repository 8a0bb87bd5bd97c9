"""Secret references, ``secret("<scheme>:<path>#<key>")``, resolved at run time only.

A resolver is any object with ``resolve(path, key) -> str``; plugins provide them by scheme
through ``pypeline_secret_resolvers``. Every resolved value is handed to the run's redactor
before it is returned, so it is masked in every log line and error from then on. Errors name the
reference, never a value.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol


class SecretError(Exception):
    """A reference that cannot be resolved; the message names the reference only."""


class SecretResolver(Protocol):
    def resolve(self, path: str, key: str | None) -> str: ...


class EnvResolver:
    """``env:NAME``: an environment variable of the process that runs the job."""

    def resolve(self, path: str, key: str | None) -> str:
        if path not in os.environ:
            raise SecretError(f"environment variable {path!r} is not set")
        return os.environ[path]


class FileResolver:
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
        return str(value)


def parse_reference(reference: str) -> tuple[str, str, str | None]:
    """``"vault:secret/data/db#password"`` → ``("vault", "secret/data/db", "password")``."""
    scheme, sep, rest = reference.partition(":")
    if not sep or not scheme or not rest:
        raise SecretError(f"bad secret reference {reference!r}: expected '<scheme>:<path>[#<key>]'")
    path, _, key = rest.partition("#")
    return scheme, path, key or None


def secret_function(
    resolvers: dict[str, Any], on_value: Callable[[str], None]
) -> Callable[[str], str]:
    """The ``secret()`` template function, caching each reference for the run."""
    cache: dict[str, str] = {}

    def secret(reference: str) -> str:
        if reference not in cache:
            scheme, path, key = parse_reference(reference)
            resolver = resolvers.get(scheme)
            if resolver is None:
                known = ", ".join(sorted(resolvers)) or "none"
                raise SecretError(f"unknown secret scheme {scheme!r} (installed: {known})")
            try:
                value = resolver.resolve(path, key)
            except SecretError as exc:
                raise SecretError(f"secret({reference!r}): {exc}") from None
            on_value(value)
            cache[reference] = value
        return cache[reference]

    return secret
