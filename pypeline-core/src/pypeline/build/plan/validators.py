"""The core's plan validators: ports, data and control topology, mode compatibility.

The checks of the graph of sub flows (cycles, path length, ITERATE targets) are in
``control_checks``; ``BUILTIN_VALIDATORS`` lists them all. Each is a plain function
``(plan) -> iterable of FlowError`` registered through the ``pypeline_validators`` hook,
exactly as a third-party validator would be. They report every problem they see and never
stop at the first.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator

from pypeline.build.plan.control_checks import (
    check_control_cycles,
    check_control_depth,
    check_iterate_targets,
)
from pypeline.build.plan.model import Plan
from pypeline.build.plan.subflows import cyclic_members
from pypeline.shared.errors import FlowError

#: The output port on which a module offers the list an ITERATE edge loops over.
ITEMS = "items"


def _hint(name: str, choices: list[str]) -> str | None:
    close = difflib.get_close_matches(name, choices, n=1)
    if close:
        return f"did you mean '{close[0]}'?"
    return f"ports: {', '.join(choices)}" if choices else "this module has no such ports"


def check_ports(plan: Plan) -> Iterator[FlowError]:
    """Every port named exists; every input port is fed by exactly one data connection, or by
    none when the module lists it in ``OPTIONAL_INPUT_PORTS``."""
    fed: dict[tuple[str, str], int] = defaultdict(int)
    for edge in plan.data_edges:
        where = f"data[{edge.index}]"
        outs = plan.nodes[edge.src].meta["output_ports"]
        ins = plan.nodes[edge.dst].meta["input_ports"]
        if edge.src_port not in outs:
            message = f"module '{edge.src}' has no output port '{edge.src_port}'"
            yield plan.error(where, message, _hint(edge.src_port, outs))
        elif edge.src_port == ITEMS:
            yield _items_as_data(plan, where, edge.src, outs)
        if edge.dst_port not in ins:
            message = f"module '{edge.dst}' has no input port '{edge.dst_port}'"
            yield plan.error(where, message, _hint(edge.dst_port, ins))
        elif fed[(edge.dst, edge.dst_port)]:
            yield plan.error(where, f"input port '{edge.dst}.{edge.dst_port}' is already connected")
        fed[(edge.dst, edge.dst_port)] += 1
    for node in plan.nodes.values():
        optional = set(node.meta.get("optional_input_ports", ()))
        for port in node.meta["input_ports"]:
            if not fed[(node.id, port)] and port not in optional:
                yield plan.error(
                    f"node:{node.id}",
                    f"input port '{node.id}.{port}' has no data connection",
                    f"connect it: '<id>.<out_port> - {node.id}.{port}'",
                )


def _items_as_data(plan: Plan, where: str, src: str, outs: list[str]) -> FlowError:
    """``items`` holds the list an ITERATE edge loops over, not rows (SPEC §6)."""
    rows = [port for port in outs if port != ITEMS]
    hint = f"read its rows from '{src}.{rows[0]}', or " if rows else ""
    hint += f"loop over the items with a control connection: '{src} (1|) iterate <id>'"
    message = (
        f"'{src}.{ITEMS}' carries the list an iterate connection loops over, not rows: "
        "it cannot be a data connection"
    )
    problem: FlowError = plan.error(where, message, hint)
    return problem


def check_data_cycles(plan: Plan) -> Iterator[FlowError]:
    """A data cycle has no first wave; name its members."""
    for sub in plan.subflows.values():
        stuck = cyclic_members(sub)
        if stuck:
            edge = next(e for e in plan.data_edges if e.src in stuck and e.dst in stuck)
            yield plan.error(
                f"data[{edge.index}]", f"data cycle between modules: {', '.join(stuck)}"
            )


def check_control_targets(plan: Plan) -> Iterator[FlowError]:
    """Control edges start sub flows: their target must be a source or a solo module."""
    for edge in plan.control_edges:
        where = f"control[{edge.index}]"
        same = plan.subflow_of(edge.src).id == plan.subflow_of(edge.dst).id
        if same and edge.type == "normal":
            yield plan.error(
                where,
                f"control connection {edge.src} -> {edge.dst} is inside one sub flow; "
                "the data connections already order them",
                "remove it; it is ignored",
                severity="warning",
            )
        elif same:
            yield plan.error(where, f"a {edge.type} connection must join two sub flows")
        elif edge.type == "iterate" and not _has_items(plan, edge.src):
            yield plan.error(
                where,
                f"iterate connection from '{edge.src}': no module of its sub flow has an "
                "'items' output port to iterate over",
                "iterate from a module that lists items, e.g. file_list or fixed_rows",
            )
        elif plan.nodes[edge.dst].type not in ("source", "solo"):
            node = plan.nodes[edge.dst]
            yield plan.error(
                where,
                f"control connection into '{edge.dst}', a {node.type} module: only source "
                "and solo modules start a sub flow",
                f"connect it to the first module of '{edge.dst}''s sub flow",
            )


def _has_items(plan: Plan, node_id: str) -> bool:
    sub = plan.subflow_of(node_id)
    return any(ITEMS in plan.nodes[m].meta["output_ports"] for m in sub.members)


def check_execution_mode(plan: Plan) -> Iterator[FlowError]:
    """A module that cannot work on Dask frames is refused in ``execution_mode: dask``."""
    if plan.settings.get("execution_mode") != "dask":
        return
    for node in plan.nodes.values():
        if not node.meta.get("dask", True):
            yield plan.error(
                f"node:{node.id}",
                f"module '{node.module}' ({node.id}) does not support execution_mode: dask",
                "use execution_mode: pandas, or another module",
            )


BUILTIN_VALIDATORS: tuple[Callable[[Plan], Iterable[FlowError]], ...] = (
    check_ports,
    check_data_cycles,
    check_control_targets,
    check_control_cycles,
    check_control_depth,
    check_iterate_targets,
    check_execution_mode,
)
