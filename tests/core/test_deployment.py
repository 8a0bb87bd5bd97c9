"""Deployment configuration (SPEC §9): CLI > environment > pypeline.toml > flow > defaults."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pypeline.testing import only_run_dir, read_events

from .deployment_flows import FLOW, config_table


def test_precedence_flow_file_env_cli(pype: Any, tmp_path: Path) -> None:
    (tmp_path / "flow.yaml").write_text(FLOW)
    config = config_table(pype("run", "flow.yaml", "--show-config"))
    assert config["threads"] == ("2", "flow settings")
    assert config["artifacts.spill_threshold_rows"] == ("1000", "flow settings")
    assert config["artifacts.max_ram_share"] == ("0.8", "default")
    (tmp_path / "pypeline.toml").write_text("threads = 3\n[artifacts]\nspill_threshold_rows = 5\n")
    config = config_table(pype("run", "flow.yaml", "--show-config"))
    assert config["threads"][0] == "3" and config["threads"][1].startswith("deployment file")
    assert config["artifacts.spill_threshold_rows"][0] == "5"
    config = config_table(pype("run", "flow.yaml", "--show-config", env={"PYPELINE_THREADS": "4"}))
    assert config["threads"] == ("4", "environment (PYPELINE_THREADS)")
    result = pype(
        "run", "flow.yaml", "--show-config", "--threads", "6", env={"PYPELINE_THREADS": "4"}
    )
    assert config_table(result)["threads"] == ("6", "command line")
    assert config_table(result)["fail_strategy"] == ('"halt"', "flow")
    assert not (tmp_path / "jobs" / "deployed" / "runs").exists()  # --show-config runs nothing


def test_pypeline_config_names_the_file(pype: Any, tmp_path: Path) -> None:
    (tmp_path / "flow.yaml").write_text(FLOW)
    (tmp_path / "prod.toml").write_text(
        '[log]\nformat = "json"\n[artifacts]\nbackend = "parquet"\n'
    )
    result = pype("run", "flow.yaml", env={"PYPELINE_CONFIG": "prod.toml"})
    assert result.code == 0, result.output
    assert all(json.loads(line) for line in result.err.splitlines() if line)  # JSON console
    events = read_events(only_run_dir(tmp_path / "jobs" / "deployed"))
    assert [e["rows"] for e in events if e["event"] == "spill"] == [3]  # backend parquet spills


def test_the_flow_alone_decides_its_semantics(pype: Any, tmp_path: Path) -> None:
    (tmp_path / "flow.yaml").write_text(FLOW)
    (tmp_path / "pypeline.toml").write_text('fail_strategy = "continue"\n')
    result = pype("run", "flow.yaml")
    assert result.code == 2
    assert "'fail_strategy' is decided by the flow, not by the deployment" in result.err


def test_bad_deployment_values_are_usage_errors(pype: Any, tmp_path: Path) -> None:
    (tmp_path / "flow.yaml").write_text(FLOW)
    (tmp_path / "pypeline.toml").write_text('scheduler = "fifo"\n')
    result = pype("run", "flow.yaml")
    assert result.code == 2 and "unknown scheduler 'fifo'" in result.err
    (tmp_path / "pypeline.toml").write_text("[artifacts]\nbackend = 'tape'\n")
    result = pype("run", "flow.yaml")
    assert result.code == 2
    assert (
        "artifacts.backend from" in result.err
        and "must be one of auto, memory, parquet" in result.err
    )
    (tmp_path / "pypeline.toml").write_text("threads = [\n")
    assert pype("run", "flow.yaml").code == 2
    (tmp_path / "pypeline.toml").unlink()
    result = pype("run", "flow.yaml", env={"PYPELINE_CONFIG": "missing.toml"})
    assert result.code == 2 and "PYPELINE_CONFIG names a file that does not exist" in result.err
