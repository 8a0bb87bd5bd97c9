"""The composed document walked as the data will be: every alias and merge key expanded.

Two things need that view. Marks: a mapping entry's path (``("modules", 0, "name")``) maps to
its key's line and column, a list item's to the item's, and a value reached through an alias
is marked at every path it appears under, so each later problem is located. Limits: aliases
are where a small file becomes a large document (the "billion laughs": ten aliases of ten
aliases of ...), so values, characters of text and depth are counted here as expanded, and the
walk stops at the first one past its limit, located at the outermost alias that led there
(the line that multiplies), and at a value that contains itself, located at that value.

It runs before construction, so a refused document is never built, and it follows merge keys
as PyYAML's ``flatten_mapping`` will (merged entries first, deduplicated by key object, then
the mapping's own; the last entry for a key wins), counting a merge one level deeper, since
PyYAML flattens nested merges recursively. The walk itself keeps an explicit stack.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from pypeline.build.limits import MAX_DEPTH, MAX_TEXT, MAX_VALUES
from pypeline.build.load.yaml_bounded import (
    DEPTH_HINT,
    SIZE_HINT,
    BoundedLoader,
    alias_slot,
    too_deep,
    too_many,
)
from pypeline.build.load.yaml_keys import MERGE_TAG, scalar_key

KeyPath = tuple[str | int, ...]
Marks = dict[KeyPath, tuple[int, int]]
#: A mapping entry after merging: key node, value node, and the level it is reached at.
Entry = tuple[yaml.Node, yaml.Node, int]
#: What is still to walk: a node, its key path (None: not addressable, e.g. inside a key), its
#: level, the collections it sits in (a node among them contains itself), and the outermost
#: alias on the way to it.
Step = tuple[yaml.Node, KeyPath | None, int, frozenset[int], yaml.Mark | None]
SELF = "bad YAML: this anchored value contains itself through an alias"
ALIAS_HINT = "an alias repeats the whole anchored value: refer to large values once"
SELF_HINT = "an alias inside its own anchored value would repeat it without end"


class Refused(Exception):
    """The walk stopped: ``reason`` says why, ``hint`` what to do, ``mark`` where."""

    def __init__(self, reason: str, hint: str | None, mark: yaml.Mark | None = None) -> None:
        super().__init__(reason)
        self.reason, self.hint, self.mark = reason, hint, mark


@dataclass
class DocumentWalk:
    """Walks one composed document; ``walk`` returns its marks or raises ``Refused``."""

    loader: BoundedLoader
    marks: Marks = field(default_factory=dict)
    values: int = 0
    text: int = 0

    def walk(self, root: yaml.Node) -> Marks:
        todo: list[Step] = [(root, (), 1, frozenset(), None)]
        while todo:
            node, at, level, outer, via = todo.pop()
            try:
                self._count(node, level, outer)
                inside = outer | {id(node)}
                if isinstance(node, yaml.SequenceNode):
                    todo.extend(self._items(node, at, level, inside, via))
                elif isinstance(node, yaml.MappingNode):
                    todo.extend(self._entries(node, at, level, inside, via))
            except Refused as exc:
                exc.mark = exc.mark or via or node.start_mark
                raise
        return self.marks

    def _count(self, node: yaml.Node, level: int, outer: frozenset[int]) -> None:
        self.values += 1
        if isinstance(node, yaml.ScalarNode):
            self.text += len(node.value)
        if id(node) in outer:
            raise Refused(SELF, SELF_HINT, node.start_mark)
        if level > MAX_DEPTH:
            raise Refused(too_deep(), DEPTH_HINT)
        if self.values > MAX_VALUES:
            raise Refused(too_many() + " once its aliases are expanded", SIZE_HINT)
        if self.text > MAX_TEXT:
            reason = f"aliases expand the flow past {MAX_TEXT:,} characters of text"
            raise Refused(reason, ALIAS_HINT)

    def _items(
        self,
        node: yaml.SequenceNode,
        at: KeyPath | None,
        level: int,
        inside: frozenset[int],
        via: yaml.Mark | None,
    ) -> list[Step]:
        steps: list[Step] = []
        for i, child in enumerate(node.value):
            path, site = None if at is None else (*at, i), self._site(node, i)
            if path is not None:  # an alias item is marked where the alias is written
                self.marks[path] = _mark(site or child.start_mark)
            steps.append((child, path, level + 1, inside, via or site))
        return steps[::-1]  # popped in document order

    def _entries(
        self,
        node: yaml.MappingNode,
        at: KeyPath | None,
        level: int,
        inside: frozenset[int],
        via: yaml.Mark | None,
    ) -> list[Step]:
        if at is not None:
            self.marks.setdefault(at, _mark(node.start_mark))
        steps: list[Step] = []
        for key_node, value_node, reached in self._flat(node, level, inside):
            key = scalar_key(self.loader, key_node) if at is not None else None
            path = None if key is None or at is None else (*at, key)
            if path is not None:
                self.marks[path] = _mark(key_node.start_mark)
            # A merged entry was written elsewhere: what it costs is this mapping's doing.
            here = via or (node.start_mark if reached > level else None)
            steps.append((key_node, None, reached + 1, inside, here))
            steps.append(
                (value_node, path, reached + 1, inside, here or self._site(node, key_node))
            )
        return steps[::-1]

    def _flat(self, node: yaml.MappingNode, level: int, inside: frozenset[int]) -> list[Entry]:
        """The entries ``flatten_mapping`` leaves; merge nesting is bounded before recursing."""
        if level > MAX_DEPTH:
            raise Refused(too_deep(), DEPTH_HINT)
        merged: list[Entry] = []
        own: list[Entry] = []
        key_ids: set[int] = set()
        for key_node, value_node in node.value:
            if key_node.tag != MERGE_TAG:
                own.append((key_node, value_node, level))
                continue
            many = isinstance(value_node, yaml.SequenceNode)
            for source in value_node.value if many else [value_node]:
                if not isinstance(source, yaml.MappingNode):
                    continue  # the constructor refuses it, at its line
                if id(source) in inside:
                    raise Refused(SELF, SELF_HINT, source.start_mark)
                entries = self._flat(source, level + 1, inside | {id(source)})
                self.values += len(entries)  # work done, even for entries deduplicated away
                if self.values > MAX_VALUES:
                    raise Refused(too_many() + " once its merge keys are expanded", SIZE_HINT)
                for entry in entries:
                    if id(entry[0].value) not in key_ids:
                        key_ids.add(id(entry[0].value))
                        merged.append(entry)
        return merged + own

    def _site(self, parent: yaml.Node, index: int | yaml.Node) -> yaml.Mark | None:
        slot = alias_slot(parent, index)
        return None if slot is None else self.loader.alias_sites.get(slot)


def _mark(mark: yaml.Mark) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1
