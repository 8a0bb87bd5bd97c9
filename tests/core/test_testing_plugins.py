"""``pypeline.testing``'s plugin fixture, ``resolve_secret`` and ``cancel_while_running``."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pandas as pd
import pluggy
import pytest

from pypeline import BaseModule, RunContext, hookimpl
from pypeline.plugins.catalog import build_catalog
from pypeline.plugins.plugins import get_plugins
from pypeline.sdk.secrets import SecretError, SecretResolver
from pypeline.testing import FlowRun, cancel_while_running, registered_plugin, resolve_secret


class Greeting(BaseModule):
    NAME = "kit_greeting"
    TYPE = "source"
    DESCRIPTION = "Says hello to whom the flow names."
    OUTPUT_PORTS = ["data"]
    CONFIG_SCHEMA = {"required": {"who": {"type": "str", "description": "Whom."}}, "optional": {}}

    async def run(self, inputs: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
        ctx.logger.info("hello %s", self.config["who"])
        return {"data": pd.DataFrame({"greeting": [f"hello {self.config['who']}"]})}


class Vowels(SecretResolver):
    def resolve(self, path: str, key: str | None) -> str:
        if path == "missing":
            raise SecretError("no such secret")
        return f"{path}-aeiou-{key}"


class Pack:
    """What a pack's plugin module gives: a module and a secret scheme."""

    @hookimpl
    def pypeline_modules(self) -> list[type[BaseModule]]:
        return [Greeting]

    @hookimpl
    def pypeline_secret_resolvers(self) -> dict[str, SecretResolver]:
        return {"kit": Vowels()}


FLOW = """
flow: {name: kit}
modules:
  - {id: hi, name: kit_greeting, configs: {required: {who: "{{ secret('kit:world#k') }}"}}}
"""


def test_a_registered_plugin_gives_a_real_run_its_module_and_resolver(
    pypeline_plugin: Callable[..., Any], pypeline_flow: Callable[..., FlowRun]
) -> None:
    pack = pypeline_plugin(Pack(), name="kit-pack", distribution="pypeline-mods-kit")
    assert get_plugins().distribution_of(pack) == "pypeline-mods-kit"

    run = pypeline_flow(FLOW)

    assert run.status == "success", run.summary
    assert run.node("hi")["rows_out"] == 1
    assert [e["message"] for e in run.of("log") if e.get("node_id") == "hi"] == ["hello ***"]


def test_the_plugin_is_gone_after_the_block() -> None:
    with registered_plugin(Pack()) as pack:
        assert build_catalog().get("kit_greeting") is Greeting
    assert build_catalog().get("kit_greeting") is None
    assert not get_plugins().pm.is_registered(pack)


class Typo:
    @hookimpl
    def pypeline_module(self) -> list[type[BaseModule]]:  # not a hook: pypeline_modules
        return [Greeting]


def test_a_misspelt_hook_fails_and_leaves_nothing_registered() -> None:
    typo = Typo()
    with (
        pytest.raises(pluggy.PluginValidationError, match="pypeline_module"),
        registered_plugin(typo),
    ):
        pass
    assert not get_plugins().pm.is_registered(typo)


def test_resolve_secret_words_a_failure_as_a_run_does() -> None:
    assert resolve_secret("kit:db#pw", {"kit": Vowels()}) == "db-aeiou-pw"
    with pytest.raises(SecretError, match=r"^secret\('kit:missing'\): no such secret$"):
        resolve_secret("kit:missing", {"kit": Vowels()})


class Waiting(BaseModule):
    """Waits until cancelled, as a module waiting on a server's statement does."""

    NAME = "kit_waiting"
    TYPE = "solo"

    async def run(self, inputs: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
        stop = threading.Event()
        ctx.on_cancel(stop.set)
        stopped = await ctx.executor.run_in_thread(stop.wait, 30)
        raise RuntimeError(f"cancelled: {stopped}")


def test_cancel_while_running_calls_the_modules_cancel_callbacks() -> None:
    seconds, error = cancel_while_running(Waiting, {}, running=lambda: threading.Event().wait(0.3))
    assert seconds < 2.0
    assert isinstance(error, RuntimeError) and str(error) == "cancelled: True"
