"""The pytest fixtures of ``pypeline.testing``: what needs a temporary folder or a clean-up.

``pypeline_flow`` builds and runs a flow in ``tmp_path``; ``pype`` runs the real CLI there;
``pypeline_plugin`` registers plugin objects for one test and unregisters them after it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

from pypeline.testing.flows import FlowRun, PypeResult, run_flow, run_pype
from pypeline.testing.plugins import registered_plugin

P = TypeVar("P")


@pytest.fixture
def pype(tmp_path: Path) -> Callable[..., PypeResult]:
    """``pype(*args, env=None)``: the real CLI, run in ``tmp_path``."""

    def _pype(*args: str, env: dict[str, str] | None = None) -> PypeResult:
        return run_pype(*args, cwd=tmp_path, env=env)

    return _pype


@pytest.fixture
def pypeline_flow(tmp_path: Path) -> Callable[..., FlowRun]:
    """``pypeline_flow(yaml_text, context=..., overrides=...)`` → ``FlowRun`` in ``tmp_path``."""

    def _run(flow_text: str, **kwargs: Any) -> FlowRun:
        return run_flow(flow_text, tmp_path, **kwargs)

    return _run


@pytest.fixture
def pypeline_plugin() -> Iterator[Callable[..., Any]]:
    """``pypeline_plugin(plugin, name="", distribution="")`` → ``plugin``, registered until the
    test ends: its hooks answer in every build and run of the test."""
    with contextlib.ExitStack() as stack:

        def _register(plugin: P, name: str = "", distribution: str = "") -> P:
            return stack.enter_context(registered_plugin(plugin, name, distribution))

        yield _register
