"""Parse the flow's connections into edges, each remembered with its YAML location.

Problems here are about the text of a connection (syntax, order 0, an id that names no module);
problems about what the edges mean together (ports, cycles, targets) are the validators'.
"""

from __future__ import annotations

import difflib
from functools import cache
from typing import TYPE_CHECKING, Any

from pypeline.build.load.document import FlowDoc
from pypeline.build.plan.grammar import (
    LAST,
    GrammarError,
    RawControl,
    parse_control,
    parse_data,
    shorten,
)
from pypeline.shared.errors import FlowError
from pypeline.shared.jobfolder.model import ControlEdge, DataEdge
from pypeline.shared.templates import strip_braces

if TYPE_CHECKING:
    from jinja2.sandbox import SandboxedEnvironment


def parse_connections(
    doc: FlowDoc, node_ids: list[str], problems: list[FlowError]
) -> tuple[list[DataEdge], list[tuple[RawControl, int]]]:
    """Data edges and raw control edges (orders not yet resolved), problems appended."""
    connections = doc.data.get("connections") or {}
    known = _Known(doc, node_ids, problems)
    data: list[DataEdge] = []
    for i, text in enumerate(connections.get("data") or []):
        key = ("connections", "data", i)
        try:
            src, src_port, dst, dst_port = parse_data(text)
        except GrammarError as exc:
            problems.append(doc.error(key, str(exc)))
            continue
        if known(key, (src, dst)):
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
        if known(key, (raw.src, raw.dst)):
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


class _Known:
    """Are a connection's ids declared? An unknown one is a problem, with a close match for
    the first ``HINTS`` of them: each match is a scan of every id, and a hostile flow may
    name thousands of unknown ids among thousands of modules."""

    HINTS = 100

    def __init__(self, doc: FlowDoc, node_ids: list[str], problems: list[FlowError]) -> None:
        self.doc, self.node_ids, self.problems = doc, node_ids, problems
        self.ids = set(node_ids)
        self.hinted = 0

    def __call__(self, key: tuple[Any, ...], ids: tuple[str, ...]) -> bool:
        ok = True
        for node_id in ids:
            if node_id not in self.ids:
                self.problems.append(
                    self.doc.error(key, f"unknown module id '{node_id}'", self._hint(node_id))
                )
                ok = False
        return ok

    def _hint(self, node_id: str) -> str | None:
        self.hinted += 1
        if self.hinted > self.HINTS:
            return None
        close = difflib.get_close_matches(node_id, self.node_ids, n=1)
        return f"did you mean '{close[0]}'?" if close else None


def _condition_ok(
    doc: FlowDoc, key: tuple[Any, ...], condition: str, problems: list[FlowError]
) -> bool:
    from jinja2 import TemplateSyntaxError

    try:
        _sandbox().compile_expression(strip_braces(condition))
    except TemplateSyntaxError as exc:
        reason = exc.message or str(exc)  # str() adds the template's lines: one line here
    except RecursionError:  # Jinja parses and compiles expressions recursively
        reason = "it nests too deeply to be read"
    except ValueError as exc:  # an integer literal longer than Python converts, say
        reason = str(exc)
    else:
        return True
    problems.append(
        doc.error(key, f"bad template syntax in condition {shorten(condition)}: {reason}")
    )
    return False


@cache
def _sandbox() -> SandboxedEnvironment:
    """One environment for every condition: making one costs more than compiling with it."""
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment()
