"""``Redactor``: replaces every resolved secret, and every long piece of one, with ``***`` in
text that leaves the process.

SPEC §6: secrets are resolved at run time and never written anywhere: not to logs, summaries,
checkpoints or error messages. The templater registers each value it resolves; the run records,
the console and the CLI's error line pass their text through the same instance, so one place
decides what is masked (kedro-org/kedro#1712 is what happens otherwise). What counts as a piece
of a secret, and how it is found fast, is ``secret_spans``'s business.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

from pypeline.run.observe.secret_spans import SecretSpans

MASK = "***"

# Shorter values are not masked: masking "1" or "dev" would turn ordinary text (row counts,
# common words) into *** everywhere, which hides the log and hints at the secret, and no real
# credential is that short.
MIN_SECRET_LENGTH = 4


class Redactor:
    """A thread-safe set of secret values and a callable that masks them in text."""

    def __init__(self, secrets: list[str] | None = None) -> None:
        self._lock = threading.Lock()
        self._values: set[str] = set()
        self._spans = SecretSpans()
        for secret in secrets or []:
            self.add(secret)

    def add(self, secret: str) -> None:
        """Register a value to mask, with the forms it takes when printed.

        Besides the value itself: the value without surrounding whitespace (a secret read from
        a file often ends with a newline) and its ``repr``/JSON-escaped forms, which is how it
        appears inside an exception message or a serialized structure when it holds a quote,
        backslash or newline. Values shorter than ``MIN_SECRET_LENGTH`` are ignored.
        """
        secret = str(secret)  # a resolver may hand back a number; its text is what leaks
        forms = {secret, secret.strip(), repr(secret)[1:-1], json.dumps(secret)[1:-1]}
        forms = {form for form in forms if len(form) >= MIN_SECRET_LENGTH}
        with self._lock:
            for form in forms - self._values:
                self._values.add(form)
                self._spans.add(form)

    @property
    def active(self) -> bool:
        """Whether any value is registered: with none, text passes through untouched."""
        return bool(self._values)

    def __call__(self, text: str) -> str:
        """``text`` with every registered value, and every piece of one at least
        ``secret_spans.FRAGMENT_LENGTH`` long, as ``***``.

        Overlapping and adjacent matches become one ``***``, so neither the secret's length nor
        where two secrets meet shows through.
        """
        if not text or not self._values:
            return text
        spans = self._spans.spans(text)
        if not spans:
            return text
        pieces, done = [], 0
        for start, end in spans:
            pieces += [text[done:start], MASK]
            done = end
        pieces.append(text[done:])
        return "".join(pieces)

    def scrub(self, value: Any) -> Any:
        """A JSON-ready copy of ``value`` with every string in it masked.

        Mappings and sequences are walked (keys are masked too: a secret can end up as a dict
        key); numbers, booleans and None pass through; dates become ISO text; anything else
        becomes its ``str``, masked, so no object's text reaches the disk unredacted.
        """
        if value is None or isinstance(value, bool | int | float):
            return value
        if isinstance(value, str):
            return self(value)
        if isinstance(value, datetime | date):
            return value.isoformat()
        if isinstance(value, PurePath):
            return self(str(value))
        if isinstance(value, Mapping):
            return {self(str(key)): self.scrub(item) for key, item in value.items()}
        if isinstance(value, list | tuple | set | frozenset):
            return [self.scrub(item) for item in value]
        return self(str(value))


_SCOPE: ContextVar[Redactor | None] = ContextVar("pypeline_redactor", default=None)


@contextmanager
def redaction_scope() -> Iterator[Redactor]:
    """One ``Redactor`` shared by a CLI command and the run it starts.

    The run registers the secrets it resolves; the CLI renders the errors that escape the run
    (and ``--debug`` tracebacks) after the run's objects are gone, so it needs the same instance.
    A context variable, reset when the command ends, carries it there without a global list.
    """
    redactor = Redactor()
    token = _SCOPE.set(redactor)
    try:
        yield redactor
    finally:
        _SCOPE.reset(token)


def current_redactor() -> Redactor:
    """The enclosing scope's ``Redactor``, or a new one when there is no scope (tests, API)."""
    return _SCOPE.get() or Redactor()
