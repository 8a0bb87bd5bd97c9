"""PyYAML's safe loader, stopped at the first value too many or too deep, and honest about
scalars it cannot build.

PyYAML composes nodes recursively (about three Python frames per level), so 400 nested ``[``
end in a ``RecursionError``, and it composes every value of a file before anyone can count
them. Counting in ``compose_node`` itself refuses such a file at the value that crosses the
limit, having composed no more than the limit allows. Aliases are not expanded here (an alias
is one node that several places share); the document walk counts them expanded afterwards.

PyYAML's constructors raise plain ``ValueError``, ``KeyError`` or ``AttributeError`` for a
scalar its resolver matched but cannot build (``2024-13-45``, ``!!int abc``, ``!!bool maybe``):
here each becomes a ``ConstructorError`` at that scalar. An integer written ``1:2:3:...``
(YAML 1.1's base 60) costs quadratic time in its length, so numbers are kept short.
"""

from __future__ import annotations

from typing import Any

import yaml

from pypeline.build.limits import MAX_DEPTH, MAX_VALUES

#: Characters of a number: far more than any real one, far less than a slow one.
MAX_NUMBER_CHARS = 1000
_INT_TAG = "tag:yaml.org,2002:int"


DEPTH_HINT = "flatten the structure: no flow needs this many levels"
SIZE_HINT = "keep large data out of the flow: put it in a file and read it with a source module"


class LimitExceeded(Exception):
    """A flow past one of ``pypeline.build.limits``, at the value that crossed it."""

    def __init__(self, mark: yaml.Mark, message: str, hint: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message
        self.hint = hint


def too_deep() -> str:
    return f"the flow nests more than {MAX_DEPTH} levels deep"


def too_many() -> str:
    return f"the flow holds more than {MAX_VALUES:,} values"


class BoundedLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that counts the values it composes and how deep they nest."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0
        self.values = 0
        #: Where an alias was written, by ``alias_slot``: an aliased node is shared by every
        #: place that names it, so only here can a problem be located at the alias itself.
        self.alias_sites: dict[tuple[str, int, int], yaml.Mark] = {}

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        self.depth += 1
        self.values += 1
        if parent is not None and self.check_event(yaml.AliasEvent):
            slot = alias_slot(parent, index)
            if slot is not None:
                self.alias_sites[slot] = self._next_mark()
        try:
            if self.depth > MAX_DEPTH:
                raise LimitExceeded(self._next_mark(), too_deep(), DEPTH_HINT)
            if self.values > MAX_VALUES:
                raise LimitExceeded(self._next_mark(), too_many(), SIZE_HINT)
            node: yaml.Node | None = super().compose_node(parent, index)
            return node
        finally:
            self.depth -= 1

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (yaml.YAMLError, LimitExceeded):
            raise
        except Exception as exc:  # what PyYAML's scalar constructors throw at a bad value
            self.recursive_objects.pop(node, None)  # else a second try says "recursive node"
            raise _unreadable(node, str(exc)) from exc

    def construct_bounded_int(self, node: yaml.ScalarNode) -> Any:
        if len(node.value) > MAX_NUMBER_CHARS:
            raise _unreadable(node, f"a number longer than {MAX_NUMBER_CHARS} characters")
        return self.construct_yaml_int(node)

    def _next_mark(self) -> yaml.Mark:
        mark: yaml.Mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
        return mark


BoundedLoader.add_constructor(_INT_TAG, BoundedLoader.construct_bounded_int)


def alias_slot(parent: yaml.Node, index: Any) -> tuple[str, int, int] | None:
    """A place a value is written: a list's item by position, a mapping's value by its key."""
    if isinstance(parent, yaml.SequenceNode) and isinstance(index, int):
        return "item", id(parent), index
    if isinstance(index, yaml.Node):
        return "value", id(index), 0
    return None  # a key: aliased keys are not located more precisely than their mapping


def _unreadable(node: yaml.Node, reason: str) -> yaml.constructor.ConstructorError:
    if isinstance(node, yaml.ScalarNode):
        shown = repr(node.value if len(node.value) <= 40 else node.value[:37] + "...")
    else:
        shown = "this " + type(node).__name__.removesuffix("Node").lower()
    kind = node.tag.rsplit(":", 1)[-1]
    problem = f"cannot read {shown} as {kind}: {reason}"
    return yaml.constructor.ConstructorError(None, None, problem, node.start_mark)
