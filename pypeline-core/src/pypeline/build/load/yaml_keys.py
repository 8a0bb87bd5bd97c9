"""What the keys of a flow mean: words, not YAML 1.1 booleans, and each given once.

PyYAML resolves plain ``on``, ``off``, ``yes``, ``no`` to booleans, also as mapping keys, so
``join_mod``'s ``on: customer_id`` would arrive as ``{True: "customer_id"}``: such keys are
retagged as strings on the composed nodes, before construction. PyYAML also keeps the last of
two equal keys without a word, so a user who pastes a module's ``configs:`` twice would lose
the first: duplicates are found on the nodes, before construction hides them.

Both happen in one walk over the distinct nodes (an alias is walked once, where it is first
met), with an explicit stack: a flow is untrusted input and may nest deeper than Python's
recursion limit allows.
"""

from __future__ import annotations

from typing import Any

import yaml

from pypeline.shared.errors import FlowError

BOOL_TAG = "tag:yaml.org,2002:bool"
STR_TAG = "tag:yaml.org,2002:str"
MERGE_TAG = "tag:yaml.org,2002:merge"


def check_keys(loader: yaml.SafeLoader, root: yaml.Node, path: str) -> list[FlowError]:
    """Retag boolean-looking keys as text; a key given twice in one mapping is an error at the
    second, naming the first's line."""
    problems: list[FlowError] = []
    seen: set[int] = set()
    todo = [root]
    while todo:
        node = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first: dict[Any, int] = {}
            for key_node, value_node in node.value:
                if key_node.tag == BOOL_TAG and isinstance(key_node, yaml.ScalarNode):
                    key_node.tag = STR_TAG
                key = None if key_node.tag == MERGE_TAG else scalar_key(loader, key_node)
                if key is not None:
                    line = key_node.start_mark.line + 1
                    if key in first:
                        message = f"duplicate key '{key}' (first given at line {first[key]})"
                        hint = "YAML keeps only the last one; remove or rename one of them"
                        col = key_node.start_mark.column + 1
                        problems.append(FlowError(path, line, col, message, hint))
                    else:
                        first[key] = line
                todo.append(value_node)
        elif isinstance(node, yaml.SequenceNode):
            todo.extend(node.value)
    return problems


def scalar_key(loader: yaml.SafeLoader, key_node: yaml.Node) -> str | int | None:
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
