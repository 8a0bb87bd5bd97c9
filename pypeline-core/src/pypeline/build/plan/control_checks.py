"""Validators of the graph of sub flows that control connections draw (SPEC §4, §6).

The sub flows joined by control edges must form a DAG; a path through it may be at most
``MAX_CONTROL_DEPTH`` sub flows long, because the runtime follows a path by nested awaits and
cancels it through the same nesting; and a sub flow may be the target of one ITERATE edge at
most, because an iteration's frames are numbered by item: a second list into the same sub flow
would find every frame already run and never run at all. Each walk keeps its own stack or
queue, so a flow of any size is answered, never a ``RecursionError``.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterator

from pypeline.build.limits import MAX_CONTROL_DEPTH
from pypeline.build.plan.model import Plan
from pypeline.shared.errors import FlowError
from pypeline.shared.jobfolder.model import ControlEdge

Graph = dict[str, list[tuple[str, ControlEdge]]]


def check_control_cycles(plan: Plan) -> Iterator[FlowError]:
    """The first control edge found that leads back to a sub flow already upstream."""
    graph = _graph(plan)
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in plan.subflows:
        if start in state:
            continue
        state[start] = 1
        stack = [(start, iter(graph[start]))]
        while stack:
            node, edges = stack[-1]
            step = next(edges, None)
            if step is None:
                state[node] = 2
                stack.pop()
            elif state.get(step[0]) == 1:
                edge = step[1]
                yield plan.error(
                    f"control[{edge.index}]",
                    f"control cycle: {edge.src} -> {edge.dst} leads back to a sub flow "
                    "that is already upstream",
                )
                return
            elif step[0] not in state:
                state[step[0]] = 1
                stack.append((step[0], iter(graph[step[0]])))


def check_control_depth(plan: Plan) -> Iterator[FlowError]:
    """The edge at which the longest control path passes ``MAX_CONTROL_DEPTH`` sub flows."""
    graph = _graph(plan)
    indegree = dict.fromkeys(plan.subflows, 0)
    for targets in graph.values():
        for dst, _ in targets:
            indegree[dst] += 1
    depth = dict.fromkeys(plan.subflows, 1)
    reached_by: dict[str, ControlEdge] = {}
    queue = deque(s for s, n in indegree.items() if n == 0)  # a cycle's members never leave
    while queue:
        sub = queue.popleft()
        for dst, edge in graph[sub]:
            if depth[sub] + 1 > depth[dst]:
                depth[dst], reached_by[dst] = depth[sub] + 1, edge
            indegree[dst] -= 1
            if indegree[dst] == 0:
                queue.append(dst)
    deepest = max(depth, key=depth.__getitem__, default=None)
    if deepest is None or depth[deepest] <= MAX_CONTROL_DEPTH:
        return
    path = [deepest]
    while path[-1] in reached_by:
        path.append(plan.subflow_of(reached_by[path[-1]].src).id)
    path.reverse()  # path[i] is the (i + 1)th sub flow of the path
    crossing = reached_by[path[MAX_CONTROL_DEPTH]]
    first = plan.subflows[path[0]].members[0]
    yield plan.error(
        f"control[{crossing.index}]",
        f"control path too long: {crossing.src} -> {crossing.dst} makes it "
        f"{MAX_CONTROL_DEPTH + 1} sub flows from '{first}' ({depth[deepest]} in all); "
        f"at most {MAX_CONTROL_DEPTH} may follow one another",
        "split the job into jobs that run one after another, or iterate over a list",
    )


def check_iterate_targets(plan: Plan) -> Iterator[FlowError]:
    """A second ITERATE edge into one sub flow, naming the first (decided: refused, not run)."""
    first: dict[str, ControlEdge] = {}
    for edge in plan.control_edges:
        target = plan.subflow_of(edge.dst).id
        if edge.type != "iterate" or plan.subflow_of(edge.src).id == target:
            continue
        earlier = first.setdefault(target, edge)
        if earlier is edge:
            continue
        line = plan.locations.get(f"control[{earlier.index}]", (1, 1))[0]
        yield plan.error(
            f"control[{edge.index}]",
            f"a second iterate connection into the sub flow of '{edge.dst}': "
            f"{edge.src} -> {edge.dst}, after {earlier.src} -> {earlier.dst} at line {line}; "
            "a sub flow iterates over one list",
            "let one module list every item, or give each list its own copy of the target modules",
        )


def _graph(plan: Plan) -> Graph:
    """Sub flow → the sub flows its control edges start, each with its edge."""
    graph: Graph = defaultdict(list)
    for edge in plan.control_edges:
        a, b = plan.subflow_of(edge.src).id, plan.subflow_of(edge.dst).id
        if a != b:
            graph[a].append((b, edge))
    return graph
