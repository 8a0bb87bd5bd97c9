"""Which functions an expression may call, and what their implementations see when called.

The whitelist is the plugins' answers to ``pypeline_expression_functions`` (the built-in library
is one such plugin): ``registry()`` asks them once per set of registered plugins, so a build
that compiles a hundred expressions asks once, and a test that registers a plugin for itself
(``pypeline_plugin``) sees its functions from the next call on. Tests that want no plugins at
all pass their own mapping to ``compile_expression(..., functions=...)``.

``Calls`` is the ``FunctionContext`` of one evaluation (one Dask partition): the frame's index,
the run's clock and the tally of values a conversion turned into nulls. The clock is taken once
per run id (``run_clock``) and kept in the compiled ``Expression``, which travels with every
partition: every call, partition and module of one run sees the same ``now``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pypeline.expressions.sizes import is_series
from pypeline.sdk.functions import ExpressionFunction

_LOCK = threading.Lock()
_REGISTRY: dict[tuple[tuple[str, int], ...], Mapping[str, ExpressionFunction]] = {}
_CLOCKS: OrderedDict[str, datetime] = OrderedDict()
_KEPT_CLOCKS = 256  # a long-lived process (a scheduler) runs many flows: keep the recent ones


def registry() -> Mapping[str, ExpressionFunction]:
    """Every registered function by name; two plugins giving one name is a ``UsageError``
    naming both (``PluginHooks.expression_functions``), raised by the first expression that
    calls a function."""
    from pypeline.plugins.facade import PluginHooks
    from pypeline.plugins.plugins import get_plugins

    plugins = get_plugins()
    key = tuple(sorted((name, id(p)) for name, p in plugins.pm.list_name_plugin()))
    with _LOCK:
        found = _REGISTRY.get(key)
    if found is None:
        found = dict(PluginHooks(plugins).expression_functions())
        with _LOCK:
            _REGISTRY.clear()  # only the current set of plugins matters
            _REGISTRY[key] = found
    return found


def run_clock(run_id: str) -> datetime:
    """The instant ``now()`` gives in run ``run_id``: taken on the first call for that run
    (local wall-clock time, without a zone, as pandas reads dates from files); outside a run
    (``run_id`` empty) the current time."""
    if not run_id:
        return datetime.now()
    with _LOCK:
        clock = _CLOCKS.get(run_id)
        if clock is None:
            clock = _CLOCKS[run_id] = datetime.now()
            while len(_CLOCKS) > _KEPT_CLOCKS:
                _CLOCKS.popitem(last=False)
        return clock


class NullTally:
    """Values the conversions of some evaluations turned into nulls (``values_nulled``)."""

    def __init__(self) -> None:
        self.count = 0


class Calls:
    """The ``FunctionContext`` of one evaluation: ``index`` is the frame's (a one-row index for
    the constant parts checked at build time), ``now`` the run's clock."""

    def __init__(self, index: Any, now: datetime, tally: NullTally | None) -> None:
        self._index, self._now, self._tally = index, now, tally

    @property
    def index(self) -> Any:
        return self._index

    @property
    def now(self) -> datetime:
        return self._now

    def series(self, value: Any) -> Any:
        """``value`` on ``index``: a Series unchanged, a scalar (a literal argument) repeated."""
        if is_series(value):
            return value
        import pandas as pd

        return pd.Series(value, index=self._index, dtype=_dtype(value))

    def count_nulled(self, count: int) -> None:
        """Add to the module's ``values_nulled``; not counted where nobody reads it (the build's
        constant check, Dask partitions computed after the module ran)."""
        if self._tally is not None:
            self._tally.count += int(count)


def _dtype(value: Any) -> Any:
    """Text as pandas' string dtype, as the columns of a source are; other values inferred."""
    return "string" if isinstance(value, str) else None
