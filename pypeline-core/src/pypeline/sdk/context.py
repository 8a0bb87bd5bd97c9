"""``RunContext``: what a module sees of the run it is part of.

The engine makes one per module run (per iteration, inside an ITERATE scope). It carries the node
id, the iteration frame, the thread pool, a logger bound to the node, the artifact manager and
the global variable store. Modules never construct it; tests use ``pypeline.testing``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol, TypeVar

T = TypeVar("T")

#: An iteration frame: the item index of each enclosing ITERATE scope, outermost first
#: (``()`` outside any loop, ``(2,)`` in the third item, ``(2, 0)`` nested).
Frame = tuple[int, ...]


class ThreadRunner(Protocol):
    """Runs blocking work off the event loop, on the run's process-wide thread pool."""

    def run_in_thread(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> Awaitable[T]: ...


class GlobalStore(Protocol):
    """Per-frame storage of module globals (case-insensitive names)."""

    def set(self, frame: str, module_id: str, key: str, value: Any) -> None: ...

    def get(self, frame: str, module_id: str, key: str) -> Any: ...


class RunContext:
    """The run as one module run sees it."""

    def __init__(
        self,
        *,
        module_id: str,
        frame: tuple[int, ...],
        executor: ThreadRunner,
        logger: logging.Logger | logging.LoggerAdapter[Any],
        artifact_manager: Any,
        global_store: GlobalStore,
        execution_mode: str = "pandas",
        job: str = "",
        run_id: str = "",
        iter_item: Any = None,
        iter_count: int | None = None,
        cancel_callbacks: list[Callable[[], None]] | None = None,
    ) -> None:
        self.module_id = module_id
        self.frame = frame
        self.executor = executor
        self.logger = logger
        self.artifact_manager = artifact_manager
        self.execution_mode = execution_mode
        self.job = job
        self.run_id = run_id
        self.iter_item = iter_item
        self.iter_count = iter_count
        self._globals = global_store
        self._cancel_callbacks = cancel_callbacks if cancel_callbacks is not None else []

    @property
    def node_id(self) -> str:
        """``<id>`` outside iterations, ``<id>#<i>`` inside one, ``<id>#<i>.<j>`` when nested."""
        return node_id_for(self.module_id, self.frame)

    @property
    def iter_index(self) -> int | None:
        """Index of the innermost iteration (from 0), or None outside any ITERATE scope."""
        return self.frame[-1] if self.frame else None

    @property
    def frame_key(self) -> str:
        """The iteration frame as text (``""``, ``"2"``, ``"2.0"``): the key of stored globals."""
        return ".".join(str(i) for i in self.frame)

    def set_global(self, key: str, value: Any) -> None:
        """Publish ``{{ <module id>__<key> }}`` for templates and later modules."""
        self._globals.set(self.frame_key, self.module_id, key, value)

    def on_cancel(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` if this run of the module is cancelled (job timeout, Ctrl-C).

        Blocking work in a thread cannot be stopped from outside: the engine stops waiting for
        it, but the thread goes on. A module that waits on a server registers here how to
        stop that wait (cancel the query, close the socket). Callbacks run on the event loop
        thread, must not block, and their errors are logged, not raised.
        """
        self._cancel_callbacks.append(callback)

    def get_global(self, module_id: str, key: str) -> Any:
        """Read another module's global: this frame's value first, else the latest."""
        return self._globals.get(self.frame_key, module_id, key)


def node_id_for(module_id: str, frame: tuple[int, ...]) -> str:
    """The node id of a module run in an iteration frame (SPEC §6)."""
    if not frame:
        return module_id
    return f"{module_id}#{'.'.join(str(i) for i in frame)}"
