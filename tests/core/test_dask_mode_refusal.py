"""A module that cannot work on Dask frames (``DASK = False``) is refused at build in dask mode.

The refusal happens when the flow is validated, naming the node and the module, instead of the
module quietly computing the whole dataset into one pandas frame at run time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pytest

from pypeline.build.build import validate_flow
from pypeline.plugins.catalog import Catalog
from pypeline.sdk.base import BaseModule
from pypeline.shared.errors import FlowInvalid


class RowNumbers(BaseModule):
    """Numbers the rows 1..n: needs every row in one frame, so not for dask."""

    NAME = "row_numbers"
    TYPE = "mod"
    DESCRIPTION = "Numbers the rows. Not in dask mode: the numbering needs the whole frame."
    INPUT_PORTS: ClassVar[list[str]] = ["input"]
    OUTPUT_PORTS: ClassVar[list[str]] = ["output"]
    DASK = False


def _flow(mode: str) -> str:
    return f"""\
flow: {{name: numbered}}
settings: {{execution_mode: {mode}}}
modules:
  - {{id: people, name: fixed_rows, configs: {{required: {{rows: [{{a: 1}}]}}}}}}
  - {{id: number, name: row_numbers}}
  - {{id: adults, name: filter_mod, configs: {{required: {{condition: "a > 0"}}}}}}
connections:
  data: ["people.data - number.input", "number.output - adults.input"]
"""


@pytest.fixture
def catalog(probe_catalog: Catalog) -> Catalog:
    probe_catalog.add(RowNumbers, "pypeline-rows")
    return probe_catalog


def test_dask_mode_refuses_the_module_naming_node_and_module(
    flow_file: Path, catalog: Catalog
) -> None:
    flow_file.write_text(_flow("dask"), encoding="utf-8")
    with pytest.raises(FlowInvalid) as refused:
        validate_flow(flow_file, catalog)

    [problem] = refused.value.problems
    assert problem.render() == (
        "flow.yaml:5:5: module 'row_numbers' (number) does not support execution_mode: dask\n"
        "  hint: use execution_mode: pandas, or another module"
    )


def test_pandas_mode_accepts_it(flow_file: Path, catalog: Catalog) -> None:
    flow_file.write_text(_flow("pandas"), encoding="utf-8")
    assert list(validate_flow(flow_file, catalog).plan.nodes) == ["people", "number", "adults"]


def test_every_core_transform_declares_dask_support(catalog: Catalog) -> None:
    # their tests run each one in both modes; a False here must come with a reason
    core = [e.cls for e in catalog.entries.values() if e.distribution == "pypeline-core"]
    assert {cls.NAME for cls in core if not cls.DASK} == set()
    assert RowNumbers.metadata()["dask"] is False


def test_the_docs_page_says_which_modules_dask_mode_refuses() -> None:
    from pypeline.cli.cli_docs import render

    page = render([("row_numbers", RowNumbers.metadata(), "pypeline-rows")], "pype docs-modules")
    assert "- dask mode: no (refused in execution_mode: dask)" in page.splitlines()


def test_a_dask_flow_of_installed_transforms_validates(pype: Any, tmp_path: Path) -> None:
    (tmp_path / "flow.yaml").write_text(
        _flow("dask").replace("row_numbers", "sort_mod, configs: {required: {by: [a]}}"),
        encoding="utf-8",
    )
    result = pype("validate", "flow.yaml")
    assert result.code == 0, result.output
