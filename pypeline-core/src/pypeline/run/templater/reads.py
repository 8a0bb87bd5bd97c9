"""Secrets read by templates: counted per render, and what they become handed to the redactor.

The ``secret()`` templates call is this wrapper around the run's secret function: it notes in the
render's state that a secret was read (which taints the render, see ``derived.py``), hands the
forms of each new value to the same callback as the value itself (``SecretFunction.on_value``,
the run's redactor), and, after a render that read one, what the render produced.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pypeline.run.templater.derived import leaves, secret_forms, tainted_texts
from pypeline.run.templater.secrets import SecretFunction
from pypeline.sdk.secrets import SecretError
from pypeline.shared.templates import parse_reference

if TYPE_CHECKING:  # the budget imports Jinja2, which a template-free run never loads
    from pypeline.run.templater.budget import RenderState

WITHHELD_REFERENCE = (
    "secret(): cannot resolve the reference (withheld: the template read a secret before)"
)


class SecretReads:
    """One run's ``secret()`` for templates, and where what they derive from one goes."""

    def __init__(self, secret: Callable[[str], str] | None) -> None:
        self._secret = secret or _no_secrets
        self._register = secret.on_value if isinstance(secret, SecretFunction) else None
        self._with_forms: set[str] = set()  # values whose forms were registered

    def function(self) -> Callable[[str], str]:
        """The ``secret()`` templates see (a plain function: no attribute of it is reachable)."""

        def secret(reference: str) -> str:
            return self._read(reference)

        return secret

    def register_derived(self, state: RenderState, kind: str, result: Any) -> None:
        """After a render that read a secret: its computed text (``kind`` ``"text"``) or every
        text leaf of its value (an expression) is masked from now on."""
        if not state.secret_reads or self._register is None:
            return
        for text in tainted_texts(state.tainted) if kind == "text" else leaves(result):
            self._register(text)

    def _read(self, reference: str) -> str:
        from pypeline.run.templater.budget import current

        state = current()
        read_before = state is not None and state.secret_reads > 0
        if state is not None:
            state.secret_reads += 1
        try:
            value = self._secret(reference)
        except SecretError:
            if read_before:  # ``secret(secret('env:A') ~ 'x')``: the error would quote it
                raise SecretError(WITHHELD_REFERENCE) from None
            raise
        if self._register is not None and value not in self._with_forms:
            self._with_forms.add(value)  # once per value, not once per render
            for form in secret_forms(value):
                self._register(form)
        return value


def _no_secrets(reference: str) -> str:
    parse_reference(reference)  # a bad reference is said so, and a long one is not quoted
    raise SecretError(f"secret({reference!r}): no secret resolver is available")
