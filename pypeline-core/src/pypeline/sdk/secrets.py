"""What a secret resolver pack implements: ``SecretResolver`` and the ``SecretError`` it raises.

A resolver answers ``secret("<scheme>:<path>#<key>")`` for the schemes it is registered under
(``pypeline_secret_resolvers``). The hook makes new resolver objects for every run, so a
resolver may keep a client and a cache for the run. One that takes options also defines
``configure(options)``: it gets the flow's ``settings.secrets.<scheme>`` once, before anything
is written, and raises ``SecretError`` for a bad option. A resolver with no ``configure`` takes
no options, and a flow that gives it some is refused.
"""

from __future__ import annotations


class SecretError(Exception):
    """A reference that cannot be resolved; the message names the reference, never a value.

    Raise it for every failure you can explain (missing key, access denied, server down);
    any other exception a resolver raises is reported by its type only, since its text may
    hold a credential.
    """


class SecretResolver:
    """Base class of a secret resolver; ``resolve`` is the whole required interface."""

    def resolve(self, path: str, key: str | None) -> str:
        """The secret at ``path`` (``key`` after ``#``, or None); raise ``SecretError`` if not."""
        raise NotImplementedError(f"{type(self).__name__}.resolve is not implemented")
