"""The typed plugin facade: plugin artifact backends are selectable, and name clashes are refused.

The example pack (tests/plugins/pypeline-mods-example) installs ``example_recording``, a backend
that notes every output it stores in ``PYPELINE_EXAMPLE_BACKEND_LOG``. Clashes are checked on a
fresh plugin manager with two plugin objects, each given a distribution as an entry point would.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pypeline import hookimpl
from pypeline.plugins.facade import PluginHooks
from pypeline.plugins.plugins import Plugins, get_plugins, make_plugin_manager
from pypeline.run.scheduling.scheduler import PriorityDfsScheduler
from pypeline.shared.errors import UsageError
from pypeline.testing import FlowRun

FLOW = """
flow: {name: backed}
modules:
  - {id: rows, name: fixed_rows, configs: {required: {rows: [1, 2, 3]}}}
  - {id: loud, name: upper_mod}
  - {id: show, name: log_row}
connections:
  data: ["rows.data - loud.input", "loud.output - show.input"]
"""


class Giver:
    """A plugin giving one scheduler, one secret scheme and one artifact backend by name."""

    def __init__(self, name: str) -> None:
        self.name = name

    @hookimpl
    def pypeline_schedulers(self) -> dict[str, type]:
        return {self.name: type("Sched", (PriorityDfsScheduler,), {})}

    @hookimpl
    def pypeline_secret_resolvers(self) -> dict[str, Any]:
        return {self.name: object()}

    @hookimpl
    def pypeline_artifact_backends(self) -> dict[str, type]:
        return {self.name: type("Backend", (), {})}


def two_packs(first: str, second: str) -> Plugins:
    """A fresh manager (core plugins only) plus two packs, each from its own distribution."""
    plugins = make_plugin_manager(entry_points=False)
    for plugin_name, given in (("pack_a", first), ("pack_b", second)):
        plugins.pm.register(Giver(given), name=plugin_name)
        plugins.distributions[plugin_name] = plugin_name.replace("_", "-") + "-dist"
    plugins.pm.check_pending()
    return plugins


@pytest.mark.parametrize(
    ("method", "what"),
    [
        ("schedulers", "scheduler"),
        ("secret_resolvers", "secret scheme"),
        ("artifact_backends", "artifact backend"),
    ],
)
def test_one_name_from_two_plugins_is_refused_naming_both(method: str, what: str) -> None:
    hooks = PluginHooks(two_packs("same", "same"))
    with pytest.raises(UsageError) as info:
        getattr(hooks, method)()
    assert str(info.value) == (
        f"{what} 'same' is provided by two plugins: pack-a-dist (plugin 'pack_a') and "
        "pack-b-dist (plugin 'pack_b')"
    )


@pytest.mark.parametrize(
    ("method", "core_name"),
    [("schedulers", "priority_dfs"), ("secret_resolvers", "env"), ("artifact_backends", "memory")],
)
def test_a_plugin_cannot_replace_a_core_name(method: str, core_name: str) -> None:
    hooks = PluginHooks(two_packs(core_name, "other"))
    with pytest.raises(UsageError, match=f"'{core_name}' is provided by two plugins: "):
        getattr(hooks, method)()


def test_distinct_names_are_merged_with_the_core_ones() -> None:
    hooks = PluginHooks(two_packs("a", "b"))
    assert {"priority_dfs", "a", "b"} <= set(hooks.schedulers())
    assert {"env", "file", "a", "b"} <= set(hooks.secret_resolvers())
    assert hooks.backend_names() == ("auto", "memory", "parquet", "a", "b")


def test_installed_backends_list_the_core_first_then_the_example_pack() -> None:
    assert PluginHooks().backend_names() == ("auto", "memory", "parquet", "example_recording")


def test_a_flow_run_uses_the_backend_the_deployment_names(
    pypeline_flow: Callable[..., FlowRun], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    log = tmp_path / "backend.log"
    monkeypatch.setenv("PYPELINE_ARTIFACT_BACKEND", "example_recording")
    monkeypatch.setenv("PYPELINE_EXAMPLE_BACKEND_LOG", str(log))
    run = pypeline_flow(FLOW)
    assert run.exit_code == 0
    assert log.read_text().splitlines() == [
        "register rows.data 3",
        "register loud.output 3",
        "cleanup",
    ]
    assert run.node("show")["rows_in"] == 3


@pytest.mark.parametrize("backend", ["memory", "parquet", "auto"])
def test_the_core_backends_run_without_the_plugin_backend(
    backend: str,
    pypeline_flow: Callable[..., FlowRun],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    log = tmp_path / "backend.log"
    monkeypatch.setenv("PYPELINE_ARTIFACT_BACKEND", backend)
    monkeypatch.setenv("PYPELINE_EXAMPLE_BACKEND_LOG", str(log))
    run = pypeline_flow(FLOW)
    assert run.exit_code == 0 and run.node("show")["rows_in"] == 3
    assert not log.exists()
    assert len(run.of("spill")) == (2 if backend == "parquet" else 0)


@pytest.mark.parametrize("source", ["env", "file"])
def test_an_unknown_backend_is_one_line_listing_the_installed_ones(
    source: str, pype: Any, tmp_path: Path
) -> None:
    (tmp_path / "flow.yaml").write_text(FLOW)
    env = {"PYPELINE_ARTIFACT_BACKEND": "tape"} if source == "env" else {}
    if source == "file":
        (tmp_path / "pypeline.toml").write_text('[artifacts]\nbackend = "tape"\n')
    result = pype("run", "flow.yaml", env=env)
    assert result.code == 2
    [line] = result.err.strip().splitlines()
    assert line.startswith("error: artifacts.backend from ")
    assert line.endswith("must be one of auto, memory, parquet, example_recording")
    assert not list((tmp_path / "jobs").glob("*/runs/*"))  # nothing of a run was written


@pytest.fixture
def clashing_scheduler() -> Iterator[None]:
    """A test plugin on the process's manager that gives the core's scheduler name again."""
    plugin = Giver("priority_dfs")
    pm = get_plugins().pm
    pm.register(plugin, name="test-clash")
    pm.check_pending()
    yield
    pm.unregister(plugin)


def test_a_run_with_a_clash_stops_as_bad_usage_before_writing(
    clashing_scheduler: None, tmp_path: Path
) -> None:
    from pypeline.build.build import build_flow
    from pypeline.run.run import run_job

    flow = tmp_path / "flow.yaml"
    flow.write_text(FLOW)
    built = build_flow(flow, tmp_path / "jobs")
    assert built.job_dir is not None
    with pytest.raises(UsageError) as info:
        run_job(built.job_dir)
    assert "scheduler 'priority_dfs' is provided by two plugins: pypeline-core and" in str(
        info.value
    )
    assert not (built.job_dir / "runs").exists() or not list((built.job_dir / "runs").iterdir())
