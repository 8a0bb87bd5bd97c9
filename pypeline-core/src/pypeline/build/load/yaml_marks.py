"""YAML text → plain data plus the line and column of every key, and YAML's own problems.

PyYAML's ``safe_load`` throws positions away and silently keeps the last of two equal keys, so
a user who pastes a module's ``configs:`` twice loses the first without a word. Here the text is
composed into nodes first: duplicate keys are found on the nodes (before construction hides
them), the data is constructed with PyYAML's own safe constructor (so anchors, merge keys and
timestamps mean what YAML says), and the key paths are walked once more to record marks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from pypeline.build.errors import FlowError
from pypeline.build.load.yaml_keys import keys_as_text

KeyPath = tuple[str | int, ...]
Marks = dict[KeyPath, tuple[int, int]]
_MERGE_TAG = "tag:yaml.org,2002:merge"
#: More values than this, once aliases are expanded, is refused rather than walked.
MAX_VALUES = 100_000


@dataclass
class ParsedYaml:
    """What parsing gave: ``data`` is ``None`` when nothing further can be checked."""

    text: str
    data: dict[str, Any] | None
    marks: Marks = field(default_factory=dict)
    problems: list[FlowError] = field(default_factory=list)


def parse_yaml(raw: bytes, path: str) -> ParsedYaml:
    """Decode and parse a flow file; every problem is a located ``FlowError``, never raised."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].decode("utf-8", "replace")
        line, col = _position(before, len(before))
        problem = FlowError(path, line, col, f"the file is not UTF-8 text: {exc.reason}")
        return ParsedYaml("", None, problems=[problem])
    try:
        return _parse(text, path)
    except yaml.MarkedYAMLError as exc:
        return ParsedYaml(text, None, problems=[_syntax_error(exc, path)])
    except yaml.reader.ReaderError as exc:
        line, col = _position(text, exc.position)
        message = f"bad YAML: unacceptable character #x{exc.character:04x}"
        return ParsedYaml(text, None, problems=[FlowError(path, line, col, message)])


def _parse(text: str, path: str) -> ParsedYaml:
    loader = yaml.SafeLoader(text)
    try:
        return _compose_and_construct(loader, text, path)
    finally:
        loader.dispose()


def _compose_and_construct(loader: yaml.SafeLoader, text: str, path: str) -> ParsedYaml:
    node = loader.get_single_node()
    if node is None:
        problem = FlowError(
            path, 1, 1, "the file is empty", "a flow needs at least flow and modules"
        )
        return ParsedYaml(text, None, problems=[problem])
    if not isinstance(node, yaml.MappingNode):
        line, col = _mark(node.start_mark)
        message = "the top level must be a mapping (flow:, settings:, modules:, ...)"
        return ParsedYaml(text, None, problems=[FlowError(path, line, col, message)])
    problems: list[FlowError] = []
    keys_as_text(node, set())
    _find_duplicates(loader, node, path, problems, set())
    data = loader.construct_document(node)
    walk = _MarkWalk(loader)
    walk.walk(node, ())
    if walk.trouble:  # JSON, the schema and the job folder need a finite tree of values
        line, col = _mark(walk.trouble[0].start_mark)
        problems.append(FlowError(path, line, col, f"bad YAML: {walk.trouble[1]}"))
        return ParsedYaml(text, None, problems=problems)
    return ParsedYaml(text, data, walk.marks, problems)


def _find_duplicates(
    loader: yaml.SafeLoader, node: yaml.Node, path: str, out: list[FlowError], seen: set[int]
) -> None:
    """A key given twice in one mapping is an error at the second, naming the first's line."""
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        first: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = None if key_node.tag == _MERGE_TAG else _key(loader, key_node)
            if key is not None:
                line, col = _mark(key_node.start_mark)
                if key in first:
                    message = f"duplicate key '{key}' (first given at line {first[key]})"
                    hint = "YAML keeps only the last one; remove or rename one of them"
                    out.append(FlowError(path, line, col, message, hint))
                else:
                    first[key] = line
            _find_duplicates(loader, value_node, path, out, seen)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _find_duplicates(loader, item, path, out, seen)


class _MarkWalk:
    """Mapping entry → its key's position; list item → the item's; aliases get every path.

    It stops at a value that contains itself through an alias, and at a file that aliases
    expand past ``MAX_VALUES`` values (the "billion laughs"), since every later step walks
    the data as a tree and would never end.
    """

    def __init__(self, loader: yaml.SafeLoader) -> None:
        self.loader = loader
        self.marks: Marks = {}
        self.visits = 0
        self.trouble: tuple[yaml.Node, str] | None = None

    def walk(self, node: yaml.Node, at: KeyPath, stack: tuple[yaml.Node, ...] = ()) -> None:
        self.visits += 1
        if self.trouble is not None:
            return
        if any(node is outer for outer in stack):
            self.trouble = node, "this anchored value contains itself through an alias"
        elif self.visits > MAX_VALUES:
            self.trouble = node, f"aliases expand the file past {MAX_VALUES} values"
        elif isinstance(node, yaml.MappingNode):
            # After construction, merge keys are flattened in place with the node's own keys
            # last, so an overriding key's mark wins, as its value does.
            self.marks.setdefault(at, _mark(node.start_mark))
            for key_node, value_node in node.value:
                key = _key(self.loader, key_node)
                if key is not None:
                    self.marks[(*at, key)] = _mark(key_node.start_mark)
                    self.walk(value_node, (*at, key), (*stack, node))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self.marks[(*at, i)] = _mark(item.start_mark)
                self.walk(item, (*at, i), (*stack, node))


def _key(loader: yaml.SafeLoader, key_node: yaml.Node) -> str | int | None:
    """The path component of a scalar key as the data holds it (complex keys have none)."""
    if not isinstance(key_node, yaml.ScalarNode):
        return None
    try:
        key = loader.construct_object(key_node)
    except yaml.YAMLError:
        return None
    if isinstance(key, str) or (isinstance(key, int) and not isinstance(key, bool)):
        return key
    return None


def _syntax_error(exc: yaml.MarkedYAMLError, path: str) -> FlowError:
    """PyYAML's problem at its problem mark; its 'while parsing ...' context becomes the hint."""
    mark = exc.problem_mark or exc.context_mark
    line, col = _mark(mark) if mark else (1, 1)
    problem, context, hint = exc.problem or "unreadable YAML", exc.context, None
    if context and problem.startswith("but "):
        problem = f"{context}, {problem}"
    elif context:
        hint = context
        if exc.context_mark:
            where = _mark(exc.context_mark)
            hint += f" started at line {where[0]}, column {where[1]}"
    if "'\\t'" in problem:
        hint = "indent with spaces: YAML does not allow tabs"
    return FlowError(path, line, col, f"bad YAML: {problem}", hint)


def _mark(mark: yaml.Mark) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1


def _position(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1
