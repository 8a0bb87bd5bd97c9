"""YAML text → plain data plus the line and column of every key, and YAML's own problems.

PyYAML's ``safe_load`` throws positions away, silently keeps the last of two equal keys and
trusts its input's size. Here the text is composed into nodes by a loader that stops at the
limits of ``pypeline.build.limits``; the keys are checked on the nodes (``yaml_keys``); the
document is walked with its aliases expanded, for the marks and the limits that aliases can
break (``yaml_walk``); only then is the data constructed, with PyYAML's own safe constructor
(so anchors, merge keys and timestamps mean what YAML says).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from pypeline.build.load.yaml_bounded import BoundedLoader, LimitExceeded
from pypeline.build.load.yaml_keys import check_keys
from pypeline.build.load.yaml_walk import DocumentWalk, Marks, Refused
from pypeline.shared.errors import FlowError


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
    except LimitExceeded as exc:
        line, col = _mark(exc.mark)
        problem = FlowError(path, line, col, exc.message, exc.hint)
        return ParsedYaml(text, None, problems=[problem])


def _parse(text: str, path: str) -> ParsedYaml:
    loader = BoundedLoader(text)
    try:
        return _compose_and_construct(loader, text, path)
    finally:
        loader.dispose()


def _compose_and_construct(loader: BoundedLoader, text: str, path: str) -> ParsedYaml:
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
    problems = check_keys(loader, node, path)
    try:  # JSON, the schema and the job folder need a finite, bounded tree of values
        marks = DocumentWalk(loader).walk(node)
    except Refused as exc:
        line, col = _mark(exc.mark) if exc.mark else (1, 1)
        problems.append(FlowError(path, line, col, exc.reason, exc.hint))
        return ParsedYaml(text, None, problems=problems)
    data = loader.construct_document(node)
    return ParsedYaml(text, data, marks, problems)


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
