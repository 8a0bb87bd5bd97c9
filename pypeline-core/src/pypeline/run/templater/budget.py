"""The state of one render and the checks every sandbox hook makes against ``limits.py``.

``tick`` stops a render whose time is up, ``written`` counts its output, ``checked`` refuses a
value past the size limits and ``measure`` says how big a value prints, cheaply enough to be
called on every result. The state is a context variable, set by the templater around each
template, so the hooks, which Jinja2 calls with no way to pass it, all see the same one.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from jinja2 import Undefined
from jinja2.exceptions import SecurityError
from jinja2.utils import Namespace

from pypeline.run.templater.limits import MAX_INT_BITS, MAX_ITEMS, MAX_OUTPUT, MAX_TEXT, PIECE_COST

CONTAINERS = (list, tuple, dict, set, frozenset)
CACHE_FROM, CACHE_LIMIT = 1_000, 4 * MAX_TEXT  # smaller containers are measured again
OPAQUE_SIZE = 64  # an object of unknown kind: its printed form is its class's business


class TemplateLimit(SecurityError):
    """A template went past one of the render limits; the message names which."""


def too_large(what: str, limit: int = MAX_TEXT, unit: str = "characters") -> TemplateLimit:
    return TemplateLimit(f"{what} too large (limit {limit:,} {unit})")


@dataclass
class RenderState:
    """One template's render: its deadline, what it wrote, and whether it read a secret."""

    deadline: float
    seconds: float
    written: int = 0
    secret_reads: int = 0
    #: printed sizes of big containers already measured, by id (the object is kept, so the id
    #: cannot be reused while the render lasts; the sandbox lets no template change one), and
    #: their total, which is kept under ``CACHE_LIMIT`` so the table cannot hoard memory
    sizes: dict[int, tuple[Any, int]] = field(default_factory=dict)
    cached: int = 0
    #: computed text written since the first secret read, to be masked (``derived.py``); an
    #: empty string marks where the template's own text came between two pieces
    tainted: list[str] = field(default_factory=list)


_STATE: ContextVar[RenderState | None] = ContextVar("pypeline_render", default=None)


@contextmanager
def rendering(deadline: float, seconds: float) -> Iterator[RenderState]:
    """The state of one template's render, seen by every hook until the render ends."""
    state = RenderState(deadline, seconds)
    token = _STATE.set(state)
    try:
        yield state
    finally:
        _STATE.reset(token)


def current() -> RenderState | None:
    """The render under way, or None (a template compiled outside a render)."""
    return _STATE.get()


def tick() -> None:
    """Stop the render once its time is up; cheap enough to call at every step."""
    state = _STATE.get()
    if state is not None and time.monotonic() > state.deadline:
        raise TemplateLimit(f"template took too long (limit {state.seconds:g} s)")


def written(size: int) -> None:
    """Count text a template writes, wherever it goes (its result or a block's buffer), and
    ``PIECE_COST`` for each piece: ten million one-character pieces would fill memory too."""
    state = _STATE.get()
    if state is not None:
        state.written += size + PIECE_COST
        if state.written > MAX_OUTPUT:
            raise too_large("template output", MAX_OUTPUT)


def checked(value: Any, what: str) -> Any:
    """``value``, once it is known to be within the limits; ``what`` names it in the error."""
    if type(value) is str:  # the common case first: this runs on every result
        if len(value) > MAX_TEXT:
            raise too_large(what)
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        if value.bit_length() > MAX_INT_BITS:
            raise too_large(f"integer {what}", MAX_INT_BITS, "bits")
    elif isinstance(value, range):
        if len(value) > MAX_ITEMS:
            raise too_large(what, MAX_ITEMS, "items")
    elif measure(value) > MAX_TEXT:
        raise too_large(what)
    return value


def measure(value: Any) -> int:
    """About how many characters ``value`` takes when printed; stops counting past MAX_TEXT.

    Exact for text; containers count their items plus two per item (the ``, `` between them),
    numbers their digits. Walked with a stack, not recursion, and containers met before in this
    render are taken from the state's table, so measuring is cheap even for a value that holds
    one big list many times: it stops as soon as the count passes the limit.
    """
    if isinstance(value, str):  # the common cases first: this runs on every result
        return len(value)
    if isinstance(value, bool) or value is None:
        return 5
    if isinstance(value, float):
        return 24
    if isinstance(value, int):
        return value.bit_length() * 30103 // 100000 + 1  # log10(2) digits per bit
    state = _STATE.get()
    sizes = state.sizes if state is not None else {}
    if isinstance(value, CONTAINERS) and id(value) in sizes:
        return sizes[id(value)][1]
    total, stack = 0, [value]
    while stack and total <= MAX_TEXT:
        item = stack.pop()
        if isinstance(item, str):
            total += len(item)
        elif isinstance(item, bool) or item is None:
            total += 5
        elif isinstance(item, int):
            total += item.bit_length() * 30103 // 100000 + 1  # log10(2) digits per bit
        elif isinstance(item, float):
            total += 24
        elif isinstance(item, bytes | bytearray):
            total += 4 * len(item)  # printed as b'\x..'
        elif isinstance(item, CONTAINERS):
            known = sizes.get(id(item))
            if known is not None:
                total += known[1]
                continue
            total += 2 + 2 * len(item)
            if isinstance(item, dict):
                stack.extend(item.keys())
                stack.extend(item.values())
            else:
                stack.extend(item)
        elif isinstance(item, Namespace):
            stack.append(dict(object.__getattribute__(item, "_Namespace__attrs")))
        elif isinstance(item, Undefined):
            continue
        else:
            total += OPAQUE_SIZE
    if isinstance(value, CONTAINERS) and state is not None and total >= CACHE_FROM:
        if state.cached + total > CACHE_LIMIT:  # the table keeps what it holds alive
            sizes.clear()
            state.cached = 0
        sizes[id(value)] = (value, total)
        state.cached += total
    return total
