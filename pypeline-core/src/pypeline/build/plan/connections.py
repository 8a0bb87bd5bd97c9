"""Parse the flow's connections into edges, each remembered with its YAML location.

Problems here are about the text of a connection (syntax, order 0, an id that names no module);
problems about what the edges mean together (ports, cycles, targets) are the validators'.
"""

from __future__ import annotations

import difflib
from typing import Any

from pypeline.build.errors import FlowError
from pypeline.build.load.document import FlowDoc
from pypeline.build.plan.grammar import (
    LAST,
    GrammarError,
    RawControl,
    parse_control,
    parse_data,
    strip_braces,
)
from pypeline.build.plan.model import ControlEdge, DataEdge


def parse_connections(
    doc: FlowDoc, node_ids: list[str], problems: list[FlowError]
) -> tuple[list[DataEdge], list[tuple[RawControl, int]]]:
    """Data edges and raw control edges (orders not yet resolved), problems appended."""
    connections = doc.data.get("connections") or {}
    data: list[DataEdge] = []
    for i, text in enumerate(connections.get("data") or []):
        key = ("connections", "data", i)
        try:
            src, src_port, dst, dst_port = parse_data(str(text))
        except GrammarError as exc:
            problems.append(doc.error(key, str(exc)))
            continue
        if _known(doc, key, (src, dst), node_ids, problems):
            data.append(DataEdge(src, src_port, dst, dst_port, index=i))
    control: list[tuple[RawControl, int]] = []
    for i, item in enumerate(connections.get("control") or []):
        key = ("connections", "control", i)
        try:
            raw = parse_control(item)
        except GrammarError as exc:
            problems.append(doc.error(key, str(exc)))
            continue
        if raw.condition and not _condition_ok(doc, key, raw.condition, problems):
            continue
        if _known(doc, key, (raw.src, raw.dst), node_ids, problems):
            control.append((raw, i))
    return data, control


def resolve_orders(
    raw: list[tuple[RawControl, int]], subflow_of: dict[str, str]
) -> list[ControlEdge]:
    """``Last`` becomes the largest order leaving the same sub flow + 1 (SPEC §4)."""
    largest: dict[str, int] = {}
    for edge, _ in raw:
        if isinstance(edge.order, int):
            sub = subflow_of[edge.src]
            largest[sub] = max(largest.get(sub, 0), edge.order)
    resolved = []
    for edge, index in raw:
        order = edge.order
        if order == LAST:
            order = largest.get(subflow_of[edge.src], 0) + 1
        resolved.append(
            ControlEdge(
                src=edge.src,
                dst=edge.dst,
                order=int(order),
                condition=edge.condition,
                type=edge.type,
                parallel=edge.parallel,
                index=index,
            )
        )
    return resolved


def _known(
    doc: FlowDoc,
    key: tuple[Any, ...],
    ids: tuple[str, ...],
    node_ids: list[str],
    problems: list[FlowError],
) -> bool:
    ok = True
    for node_id in ids:
        if node_id not in node_ids:
            close = difflib.get_close_matches(node_id, node_ids, n=1)
            hint = f"did you mean '{close[0]}'?" if close else None
            problems.append(doc.error(key, f"unknown module id '{node_id}'", hint))
            ok = False
    return ok


def _condition_ok(
    doc: FlowDoc, key: tuple[Any, ...], condition: str, problems: list[FlowError]
) -> bool:
    from jinja2 import TemplateSyntaxError
    from jinja2.sandbox import SandboxedEnvironment

    try:
        SandboxedEnvironment().compile_expression(strip_braces(condition))
    except TemplateSyntaxError as exc:
        problems.append(doc.error(key, f"bad template syntax in condition {condition!r}: {exc}"))
        return False
    return True
