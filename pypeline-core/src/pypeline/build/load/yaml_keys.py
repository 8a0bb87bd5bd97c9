"""Mapping keys stay text: ``on:`` in a flow means the word, not YAML 1.1's ``True``.

PyYAML resolves plain ``on``, ``off``, ``yes``, ``no`` to booleans, also as mapping keys, so
``join_mod``'s ``on: customer_id`` would arrive as ``{True: "customer_id"}``. Keys are retagged
as strings on the composed nodes, before construction.
"""

from __future__ import annotations

import yaml

BOOL_TAG = "tag:yaml.org,2002:bool"
STR_TAG = "tag:yaml.org,2002:str"


def keys_as_text(node: yaml.Node, seen: set[int]) -> None:
    """A plain ``on:``/``yes:``/``off:`` key is the word, not YAML 1.1's boolean."""
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.tag == BOOL_TAG and isinstance(key_node, yaml.ScalarNode):
                key_node.tag = STR_TAG
            keys_as_text(value_node, seen)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            keys_as_text(item, seen)
