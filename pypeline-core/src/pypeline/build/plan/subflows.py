"""Sub flows: weakly connected components of the data graph, and their topological waves.

A sub flow is named after its first declared member (``sf_<id>``), so log lines read in the
user's words. Waves are Kahn's layers: every module of a wave has all its inputs from earlier
waves, so a wave's modules can run concurrently. Modules caught in a data cycle get no wave; the
topology validator reports the cycle.
"""

from __future__ import annotations

from collections import defaultdict

from pypeline.shared.jobfolder.model import DataEdge, SubFlow


def find_subflows(node_ids: list[str], edges: list[DataEdge]) -> dict[str, SubFlow]:
    """Every module belongs to exactly one sub flow; a lone module is its own."""
    parent = {n: n for n in node_ids}

    def root(n: str) -> str:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for edge in edges:
        a, b = root(edge.src), root(edge.dst)
        if a != b:
            parent[b] = a
    groups: dict[str, list[str]] = defaultdict(list)
    for n in node_ids:  # declaration order inside each group, groups by their first member
        groups[root(n)].append(n)
    edges_of: dict[str, list[DataEdge]] = defaultdict(list)
    for edge in edges:
        edges_of[root(edge.src)].append(edge)
    subflows: dict[str, SubFlow] = {}
    for group, members in groups.items():
        sub_id = f"sf_{members[0]}"
        subflows[sub_id] = SubFlow(sub_id, tuple(members), topo_waves(members, edges_of[group]))
    return subflows


def topo_waves(members: list[str], edges: list[DataEdge]) -> tuple[tuple[str, ...], ...]:
    """Kahn's algorithm in layers; declaration order within a layer."""
    position = {n: i for i, n in enumerate(members)}
    indegree = dict.fromkeys(members, 0)
    downstream: dict[str, set[str]] = defaultdict(set)
    for edge in edges:
        if edge.src in position and edge.dst not in downstream[edge.src]:
            downstream[edge.src].add(edge.dst)
            indegree[edge.dst] += 1
    waves: list[tuple[str, ...]] = []
    ready = [n for n in members if indegree[n] == 0]
    while ready:
        waves.append(tuple(ready))
        nxt: list[str] = []
        for n in ready:
            for d in downstream[n]:
                indegree[d] -= 1
                if indegree[d] == 0:
                    nxt.append(d)
        ready = sorted(nxt, key=position.__getitem__)
    return tuple(waves)


def cyclic_members(sub: SubFlow) -> list[str]:
    """Members left out of every wave: they sit on (or behind) a data cycle."""
    placed = {n for wave in sub.waves for n in wave}
    return [n for n in sub.members if n not in placed]
