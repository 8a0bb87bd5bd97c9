"""Every hook works as documented, and every hook is tested and documented (datasette's idea)."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pypeline import hookimpl, hookspecs
from pypeline.plugins.catalog import build_catalog
from pypeline.plugins.facade import PluginHooks
from pypeline.run.scheduling.scheduler import PriorityDfsScheduler
from pypeline.sdk.base import BaseModule
from pypeline.shared.errors import FlowInvalid
from pypeline.testing import FlowRun, registered_plugin

ROOT = Path(__file__).resolve().parents[2]
HOOKS = sorted(n for n, f in vars(hookspecs).items() if n.startswith("pypeline_") and callable(f))


class Recorder:
    """A third-party plugin, registered for one test."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []

    @hookimpl
    def pypeline_job_start(self, job: str, run_id: str, job_dir: str) -> None:
        self.calls.append(("start", job))

    @hookimpl
    def pypeline_node_end(
        self, job: str, run_id: str, node_id: str, record: dict[str, Any]
    ) -> None:
        self.calls.append(("node", (node_id, record["status"], record["rows_out"])))

    @hookimpl
    def pypeline_job_end(self, job: str, run_id: str, status: str, summary: dict[str, Any]) -> None:
        self.calls.append(("end", (status, sorted(summary["nodes"]))))

    @hookimpl
    def pypeline_validators(self) -> list[Callable[[Any], Any]]:
        def no_debug_ids(plan: Any) -> Iterator[Any]:
            for node_id in plan.nodes:
                if node_id.startswith("debug_"):
                    yield plan.error(f"node:{node_id}", f"'{node_id}': no debug modules in prod")

        return [no_debug_ids]

    @hookimpl
    def pypeline_secret_resolvers(self) -> dict[str, Any]:
        class Upper:
            def resolve(self, path: str, key: str | None) -> str:
                return path.upper()

        return {"upper": Upper()}

    @hookimpl
    def pypeline_schedulers(self) -> dict[str, type]:
        class Backwards(PriorityDfsScheduler):
            async def run(self) -> None:
                for root in reversed(self.engine.job.roots):
                    await self.visit(root, (), None)

        return {"backwards": Backwards}


@pytest.fixture
def recorder(pypeline_plugin: Callable[..., Any]) -> Recorder:
    return pypeline_plugin(Recorder(), name="test-recorder")


FLOW = """
flow: {name: hooked}
modules:
  - {id: rows, name: fixed_rows, configs: {required: {rows: [1, 2]}}}
  - {id: show, name: log_row}
  - {id: second, name: warn, configs: {required: {message: "{{ secret('upper:abcdef') }}"}}}
connections:
  data: ["rows.data - show.input"]
"""


def observed(recorder: Recorder, pypeline_flow: Callable[..., FlowRun], kind: str) -> list[Any]:
    """What the observer saw of one kind of call, over one successful run of ``FLOW``."""
    assert pypeline_flow(FLOW).exit_code == 0
    return [seen for call, seen in recorder.calls if call == kind]


def test_pypeline_job_start_is_called_once_before_any_node(
    recorder: Recorder, pypeline_flow: Callable[..., FlowRun]
) -> None:
    assert observed(recorder, pypeline_flow, "start") == ["hooked"]
    assert recorder.calls[0] == ("start", "hooked")


def test_pypeline_node_end_sees_every_node_with_its_status_and_rows(
    recorder: Recorder, pypeline_flow: Callable[..., FlowRun]
) -> None:
    assert observed(recorder, pypeline_flow, "node") == [
        ("rows", "success", 2),
        ("show", "success", None),
        ("second", "success", None),
    ]


def test_pypeline_job_end_is_called_last_with_the_status_and_summary(
    recorder: Recorder, pypeline_flow: Callable[..., FlowRun]
) -> None:
    assert observed(recorder, pypeline_flow, "end") == [("success", ["rows", "second", "show"])]
    assert recorder.calls[-1][0] == "end"


class ShoutModule(BaseModule):
    NAME = "hooks_test_shout"
    TYPE = "solo"
    DESCRIPTION = "A module a plugin provides: pypeline_modules puts it in the catalog."


class ModuleProvider:
    @hookimpl
    def pypeline_modules(self) -> list[type[BaseModule]]:
        return [ShoutModule]


def test_pypeline_modules_of_a_plugin_are_in_the_catalog() -> None:
    with registered_plugin(ModuleProvider(), name="test-module-provider"):
        catalog = build_catalog()
    assert catalog.get("hooks_test_shout") is ShoutModule
    assert build_catalog().get("hooks_test_shout") is None, "gone with its plugin"


def test_pypeline_secret_resolvers_scheme_is_used_and_its_value_redacted(
    recorder: Recorder, pypeline_flow: Callable[..., FlowRun]
) -> None:
    run = pypeline_flow(FLOW)
    assert [e["message"] for e in run.of("log") if e["node_id"] == "second"] == ["***"]


def test_pypeline_validators_of_a_plugin_refuse_a_flow(recorder: Recorder, tmp_path: Path) -> None:
    from pypeline.build.build import validate_flow

    flow = tmp_path / "flow.yaml"
    flow.write_text(FLOW.replace("id: show", "id: debug_show").replace("- show.", "- debug_show."))
    with pytest.raises(FlowInvalid) as info:
        validate_flow(flow)
    assert [p.message for p in info.value.problems] == ["'debug_show': no debug modules in prod"]
    assert info.value.problems[0].line == 5


def test_pypeline_schedulers_of_a_plugin_is_picked_by_the_deployment(
    recorder: Recorder, pypeline_flow: Callable[..., FlowRun], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYPELINE_SCHEDULER", "backwards")
    run = pypeline_flow(FLOW)
    assert [e["sub_flow"] for e in run.of("subflow_start")] == ["sf_second", "sf_rows"]


def test_pypeline_artifact_backends_offers_the_core_backends() -> None:
    """``pypeline_artifact_backends``: the core's three; a plugin's is in test_plugin_facade."""
    backends = PluginHooks().artifact_backends()
    assert {"auto", "memory", "parquet"} <= set(backends)


@pytest.mark.parametrize("hook", HOOKS)
def test_plugin_hooks_have_tests(hook: str) -> None:
    """A test is named after each hook (``test_<hook>_...``, the hook as whole words of the
    name); naming the hook elsewhere in a test file (an implementation, a string) does not count."""
    named = re.compile(rf"def (test_(?:\w+_)?{hook}(?:_\w+)?)\(")
    for path in (ROOT / "tests").rglob("test_*.py"):
        if named.search(path.read_text(encoding="utf-8")):
            return
    pytest.fail(f"no test is named after {hook} (e.g. def test_{hook}_...)")


@pytest.mark.parametrize("hook", HOOKS)
def test_plugin_hooks_are_documented(hook: str) -> None:
    docs = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    params = ", ".join(
        f"{p.name}: {p.annotation}"
        for p in inspect.signature(getattr(hookspecs, hook)).parameters.values()
    )
    assert re.search(rf"`{hook}\({re.escape(params)}\) -> ", docs), (
        f"{hook}({params}) not in docs/plugins.md"
    )
