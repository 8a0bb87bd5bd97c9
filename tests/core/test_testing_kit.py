"""``pypeline.testing.run_module``: one module run as the engine runs it, in either mode."""

from __future__ import annotations

import logging
from typing import Any

import pandas as pd
import pytest

from pypeline import BaseModule, RunContext
from pypeline.sdk.memory_artifact import MemoryArtifact
from pypeline.testing import ConfigError, rows, run_module

MODES = ["pandas", "dask"]


class Doubler(BaseModule):
    """Doubles ``n``; says what it was given, in which order its lifecycle ran."""

    NAME = "kit_doubler"
    TYPE = "mod"
    INPUT_PORTS = ["input"]
    OUTPUT_PORTS = ["output"]
    CONFIG_SCHEMA = {
        "required": {},
        "optional": {
            "factor": {"type": "int", "default": 2, "description": "What n is multiplied by."},
            "fail": {"type": "bool", "default": False, "description": "Raise in run."},
        },
    }
    seen: list[str] = []

    @classmethod
    def check_config(cls, config: dict[str, Any]) -> list[tuple[str, str]]:
        if config.get("factor", 0) < 1:
            return [("factor", f"must be 1 or more, not {config['factor']}")]
        return []

    async def setup(self, ctx: RunContext) -> None:
        self.seen.append("setup")

    async def teardown(self, ctx: RunContext) -> None:
        self.seen.append("teardown")

    async def run(self, inputs: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
        self.seen.append(f"run factor={self.config['factor']}")
        if self.config["fail"]:
            raise RuntimeError("asked to fail")
        frame = inputs["input"].to_frame(ctx.execution_mode)
        parts = getattr(frame, "npartitions", None)
        ctx.logger.info("%s frame, %s partition(s)", type(frame).__module__.split(".")[0], parts)
        ctx.logger.warning("run %s of %s", ctx.run_id, ctx.module_id)
        ctx.set_global("Rows_Seen", len(frame))
        return {"output": frame.assign(n=frame["n"] * self.config["factor"])}


@pytest.fixture(autouse=True)
def fresh_lifecycle() -> None:
    Doubler.seen = []


@pytest.mark.parametrize("mode", MODES)
def test_run_module_gives_outputs_globals_and_logs(mode: str) -> None:
    run = run_module(Doubler, {}, {"input": pd.DataFrame({"n": [1, 2, 3]})}, mode=mode)

    assert rows(run.frame("output")) == [(2,), (4,), (6,)]
    assert run.frame("output").index.tolist() == [0, 1, 2]
    assert run.globals == {"rows_seen": 3}  # keys lower-cased, as templates read them
    parts = "pandas frame, None partition(s)" if mode == "pandas" else "dask frame, 2 partition(s)"
    assert run.logs == [parts, f"run {run.run_id} of node"]
    assert run.warnings == [f"run {run.run_id} of node"]
    assert len(run.run_id) == 32
    assert Doubler.seen == ["setup", "run factor=2", "teardown"]


def test_dask_mode_hands_dask_frames_of_the_partitions_asked_for() -> None:
    frame = pd.DataFrame({"n": range(10)})
    run = run_module(Doubler, {}, {"input": frame}, mode="dask", partitions=5, module_id="twice")

    assert type(run.outputs["output"]).__module__.startswith("dask")
    assert run.outputs["output"].npartitions == 5
    assert run.frame("output")["n"].tolist() == [2 * i for i in range(10)]
    assert run.logs[0] == "dask frame, 5 partition(s)"
    assert run.logs[1].endswith(" of twice")


def test_an_artifact_input_is_handed_on_as_it_is() -> None:
    given = MemoryArtifact(pd.DataFrame({"n": [5]}))
    run = run_module(Doubler, {"factor": 3}, {"input": given}, run_id="")

    assert rows(run.frame("output")) == [(15,)]
    assert run.run_id == ""  # outside any run: no resume bookkeeping


def test_the_config_is_checked_as_the_engine_checks_it() -> None:
    frame = pd.DataFrame({"n": [1]})
    with pytest.raises(ConfigError, match=r"^module 'node' \(kit_doubler\): factor: must be 1 or"):
        run_module(Doubler, {"factor": 0}, {"input": frame})
    with pytest.raises(ConfigError, match=r"module 'node' \(kit_doubler\): factor must be int"):
        run_module(Doubler, {"factor": "three"}, {"input": frame})
    assert Doubler.seen == [], "a refused config never reaches setup or run"


def test_teardown_runs_when_run_fails_and_the_error_propagates() -> None:
    with pytest.raises(RuntimeError, match="asked to fail"):
        run_module(Doubler, {"fail": True}, {"input": pd.DataFrame({"n": [1]})})
    assert Doubler.seen == ["setup", "run factor=2", "teardown"]


def test_a_dask_graph_fails_inside_run_module() -> None:
    """A lazy output is computed before ``run_module`` returns: its error is the module's."""

    def explode(part: pd.DataFrame) -> pd.DataFrame:
        raise ValueError("bad partition")

    class Lazy(Doubler):
        async def run(self, inputs: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
            return {"output": inputs["input"].to_dask().map_partitions(explode, meta={"n": int})}

    with pytest.raises(ValueError, match="bad partition"):
        run_module(Lazy, {}, {"input": pd.DataFrame({"n": [1, 2]})}, mode="dask")


def test_module_logs_reach_caplog_too(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        run = run_module(Doubler, {}, {"input": pd.DataFrame({"n": [1]})})
    assert run.warnings[0] in caplog.messages
