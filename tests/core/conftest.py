"""Helpers for the core's tests: a catalog with a probe module, and a flow file to load."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import pytest

from pypeline.build.load.load import load_flow
from pypeline.plugins.catalog import Catalog, CatalogEntry, build_catalog
from pypeline.sdk.base import BaseModule
from pypeline.shared.errors import FlowError, FlowInvalid


class Probe(BaseModule):
    """A test module with a float option and its own ``check_config``, as a plugin would ship."""

    NAME = "probe"
    TYPE = "solo"
    CONFIG_SCHEMA: ClassVar[dict[str, dict[str, dict[str, Any]]]] = {
        "required": {"ratio": {"type": "float", "description": "a share"}},
        "optional": {"mode": {"type": "str", "default": "fast", "description": "fast or slow"}},
    }

    @classmethod
    def check_config(cls, config: dict[str, Any]) -> list[tuple[str, str]]:
        return [] if config["mode"] in ("fast", "slow") else [("mode", "must be fast or slow")]


class ProbeFork(Probe):
    """The same NAME as ``Probe``, as another distribution would ship it."""


class CsvLike(BaseModule):
    """Stands in for the files pack's ``csv_source`` (same options), which the core env lacks."""

    NAME = "csv_source"
    TYPE = "source"
    OUTPUT_PORTS: ClassVar[list[str]] = ["data", "reject"]
    CONFIG_SCHEMA: ClassVar[dict[str, dict[str, dict[str, Any]]]] = {
        "required": {"file_path": {"type": "str", "description": "path"}},
        "optional": {"encoding": {"type": "str", "default": "utf-8", "description": "enc"}},
    }


class ParquetLike(BaseModule):
    """Stands in for the files pack's ``parquet_sink``."""

    NAME = "parquet_sink"
    TYPE = "sink"
    INPUT_PORTS: ClassVar[list[str]] = ["input"]
    CONFIG_SCHEMA: ClassVar[dict[str, dict[str, dict[str, Any]]]] = {
        "required": {"output_path": {"type": "str", "description": "path"}},
        "optional": {},
    }


@pytest.fixture
def probe_catalog() -> Catalog:
    """The installed modules, stand-ins for the files pack's two, and ``probe`` from a
    made-up distribution ``pypeline-probe``."""
    catalog = build_catalog()
    for cls in (CsvLike, ParquetLike):
        catalog.entries[cls.NAME] = CatalogEntry(cls, "tests")
    catalog.add(Probe, "pypeline-probe")
    return catalog


@pytest.fixture
def probe_fork(probe_catalog: Catalog) -> None:
    """A second distribution, ``pypeline-probe-fork``, also provides ``probe``."""
    probe_catalog.add(ProbeFork, "pypeline-probe-fork")


@pytest.fixture
def flow_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``flow.yaml`` in a temp working directory, so messages name it as a user would type it."""
    monkeypatch.chdir(tmp_path)
    return Path("flow.yaml")


@pytest.fixture
def load_problems(flow_file: Path, probe_catalog: Catalog) -> Callable[[str], list[FlowError]]:
    """Write a flow, load it, and return the problems it was refused with."""

    def load(text: str) -> list[FlowError]:
        flow_file.write_text(text, encoding="utf-8")
        with pytest.raises(FlowInvalid) as info:
            load_flow("flow.yaml", probe_catalog)
        return list(info.value.problems)

    return load
