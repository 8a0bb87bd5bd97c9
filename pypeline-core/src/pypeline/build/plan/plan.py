"""The plan phase: a loaded flow document becomes a ``Plan`` (SPEC §5, §6).

Reads like its table of contents: nodes from the catalog, connections parsed, sub flows found,
``Last`` orders resolved, roots ordered, then every validator of every plugin asked. Problems
are collected, never raised one by one; warnings travel with the plan.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from pypeline.build.load.document import FlowDoc
from pypeline.build.plan.connections import parse_connections, resolve_orders
from pypeline.build.plan.model import Plan
from pypeline.build.plan.settings import contexts_with_inheritance, with_defaults
from pypeline.build.plan.subflows import find_subflows
from pypeline.plugins.catalog import Catalog
from pypeline.plugins.facade import PluginHooks
from pypeline.plugins.plugins import Plugins, get_plugins
from pypeline.shared.errors import FlowError, FlowInvalid
from pypeline.shared.jobfolder.model import Node, subflow_ids


def make_plan(doc: FlowDoc, catalog: Catalog, plugins: Plugins | None = None) -> Plan:
    """Plan a loaded flow, or raise ``FlowInvalid`` with every problem found."""
    problems: list[FlowError] = []
    nodes = _nodes(doc, catalog)
    ids = list(nodes)
    data_edges, raw_control = parse_connections(doc, ids, problems)
    subflows = find_subflows(ids, data_edges)
    subflow_of = subflow_ids(subflows)
    control = resolve_orders(raw_control, subflow_of)
    targeted = {subflow_of[e.dst] for e in control if subflow_of[e.src] != subflow_of[e.dst]}
    plan = Plan(
        flow=dict(doc.data["flow"]),
        settings=with_defaults(doc.data.get("settings")),
        contexts=contexts_with_inheritance(doc.data.get("context")),
        nodes=nodes,
        data_edges=tuple(data_edges),
        control_edges=tuple(control),
        subflows=subflows,
        roots=tuple(s for s in subflows if s not in targeted),
        path=doc.path,
        locations=_locations(doc, ids),
    )
    problems.extend(_validate(plan, plugins or get_plugins()))
    if any(p.severity == "error" for p in problems):
        raise FlowInvalid(problems)
    return replace(plan, warnings=tuple(problems))


def _nodes(doc: FlowDoc, catalog: Catalog) -> dict[str, Node]:
    nodes: dict[str, Node] = {}
    for i, item in enumerate(doc.data.get("modules") or []):
        entry = catalog.entries.get(item["name"])
        if entry is None:  # the load phase has reported it already
            continue
        cls = entry.cls
        meta = cls.metadata()
        if entry.sys_path:
            meta["sys_path"] = entry.sys_path
        configs = item.get("configs") or {}
        values: dict[str, Any] = {
            key: spec["default"]
            for key, spec in meta["config_schema"]["optional"].items()
            if "default" in spec
        }
        values.update(configs.get("required") or {})
        values.update(configs.get("optional") or {})
        nodes[item["id"]] = Node(
            id=item["id"],
            module=cls.NAME,
            type=cls.TYPE,
            module_path=meta["module_path"],
            configs=values,
            meta=meta,
            line=doc.where("modules", i)[0],
        )
    return nodes


def _locations(doc: FlowDoc, ids: list[str]) -> dict[str, tuple[int, int]]:
    where = {}
    for i, item in enumerate(doc.data.get("modules") or []):
        where[f"node:{item.get('id')}"] = doc.where("modules", i)
    connections = doc.data.get("connections") or {}
    for kind in ("data", "control"):
        for i, _ in enumerate(connections.get(kind) or []):
            where[f"{kind}[{i}]"] = doc.where("connections", kind, i)
    return where


def _validate(plan: Plan, plugins: Plugins) -> list[FlowError]:
    problems: list[FlowError] = []
    for validator in PluginHooks(plugins).validators():
        problems.extend(validator(plan))
    return problems
