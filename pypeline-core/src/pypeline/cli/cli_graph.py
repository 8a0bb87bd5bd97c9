"""``pype graph``: the flow's sub flows and control connections, as text or Graphviz DOT.

Reads a flow YAML (validated first) or a built job folder, so a user can see the shape the
scheduler will walk: which modules form each sub flow, in which waves, and which control
connections join them, with orders, conditions and types.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from pypeline.cli.errors import handle_errors


@click.command("graph")
@click.argument("target", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "dot"]),
    default="text",
    show_default=True,
    help="Plain text, or Graphviz DOT (pipe into `dot -Tsvg`).",
)
@handle_errors
def graph(target: Path, fmt: str) -> None:
    """Show the sub flows and control connections of TARGET (flow YAML or job folder)."""
    shape = _shape(target)
    click.echo(_dot(shape) if fmt == "dot" else _text(shape))


def _shape(target: Path) -> dict[str, Any]:
    if target.is_dir():
        from pypeline.shared.jobfolder.jobfolder import load_job

        job = load_job(target)
        return {
            "name": job.name,
            "subflows": job.subflows,
            "roots": job.roots,
            "edges": job.control_edges,
            "data": job.data_edges,
            "of": job.subflow_of,
        }
    from pypeline.build.build import validate_flow
    from pypeline.shared.jobfolder.model import subflow_ids

    plan = validate_flow(target).plan
    return {
        "name": plan.flow["name"],
        "subflows": plan.subflows,
        "roots": plan.roots,
        "edges": plan.control_edges,
        "data": plan.data_edges,
        "of": subflow_ids(plan.subflows),
    }


def _label(edge: Any) -> str:
    kind = "" if edge.type == "normal" else f" {edge.type}"
    cond = f"|{edge.condition}" if edge.condition else "|"
    return f"({edge.order}{cond}){kind}"


def _text(shape: dict[str, Any]) -> str:
    lines = [f"flow {shape['name']}: roots {', '.join(shape['roots'])}"]
    for sub in shape["subflows"].values():
        waves = " → ".join("[" + ", ".join(w) + "]" for w in sub.waves)
        lines.append(f"  {sub.id}: {waves}")
        for edge in shape["edges"]:
            if shape["of"][edge.src] == sub.id and shape["of"][edge.dst] != sub.id:
                lines.append(
                    f"    {edge.src} {_label(edge)} → {edge.dst} ({shape['of'][edge.dst]})"
                )
    return "\n".join(lines)


def _dot(shape: dict[str, Any]) -> str:
    lines = [f'digraph "{shape["name"]}" {{', "  rankdir=LR;", "  node [shape=box];"]
    for sub in shape["subflows"].values():
        lines.append(f'  subgraph "cluster_{sub.id}" {{ label="{sub.id}";')
        lines.extend(f'    "{m}";' for m in sub.members)
        lines.append("  }")
    for edge in shape["data"]:
        lines.append(f'  "{edge.src}" -> "{edge.dst}" [label="{edge.src_port}→{edge.dst_port}"];')
    for edge in shape["edges"]:
        label = _label(edge).replace('"', '\\"')
        lines.append(f'  "{edge.src}" -> "{edge.dst}" [style=dashed, label="{label}"];')
    lines.append("}")
    return "\n".join(lines)
