"""A plugin registered for one test: hooks tested without installing a distribution.

A pack's plugin is normally found through its entry point; a test instead registers the plugin
object (a module with ``@hookimpl`` functions, or an instance of a class with ``@hookimpl``
methods) on the process's plugin manager, so every build and run in the test sees its modules,
validators, secret resolvers, expression functions, schedulers and backends. It is checked as an
entry point is (a misspelt hook name is an error) and unregistered afterwards, whatever happened.
``resolve_secret`` calls a resolver as a run's ``secret()`` template function does.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from pypeline.sdk.secrets import SecretResolver

P = TypeVar("P")


@contextlib.contextmanager
def registered_plugin(plugin: P, name: str = "", distribution: str = "") -> Iterator[P]:
    """Register ``plugin`` for the ``with`` block; ``distribution`` names it in messages."""
    import pluggy

    from pypeline.plugins.plugins import get_plugins

    plugins = get_plugins()
    pm = plugins.pm
    name = pm.register(plugin, name=name or None) or name
    try:
        pm.check_pending()  # a typo'd hook name fails the test, as it breaks an entry point
    except pluggy.PluginValidationError:
        pm.unregister(plugin)
        raise
    if distribution:
        plugins.distributions[name] = distribution
    try:
        yield plugin
    finally:
        pm.unregister(plugin)
        plugins.distributions.pop(name, None)


def resolve_secret(reference: str, resolvers: Mapping[str, SecretResolver]) -> str:
    """``{{ secret(reference) }}`` of a run whose secret schemes are ``resolvers``.

    The reference is parsed, the scheme's resolver called and its failure worded as a run
    words it (``SecretError: secret('vault:…'): …``), so a resolver's tests see what users see.
    """
    from pypeline.run.templater.secrets import secret_function

    return secret_function(dict(resolvers), lambda value: None)(reference)
