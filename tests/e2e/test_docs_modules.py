"""docs/modules.md is what `pype docs-modules` generates from the packs of this repository.

Runs in the e2e env, where the core and every pack are installed from the working tree, so a
module added, renamed or re-described anywhere makes this test fail until the page is
regenerated with the command its header names.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pypeline.plugins.catalog import build_catalog

REPO = Path(__file__).resolve().parents[2]
PAGE = REPO / "docs" / "modules.md"


def _repo_distributions() -> list[str]:
    """The distributions of this repository: pypeline-core and every pack beside it."""
    names = []
    for pyproject in sorted(REPO.glob("pypeline-*/pyproject.toml")):
        names.append(tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["name"])
    return sorted(names)


def _command(distributions: list[str]) -> list[str]:
    return ["docs-modules", *(arg for d in distributions for arg in ("-d", d))]


def test_the_page_is_up_to_date(pype: Any) -> None:
    distributions = _repo_distributions()
    result = pype(*_command(distributions))
    assert result.code == 0, result.output

    fix = "regenerate it: pype " + " ".join(_command(distributions)) + " -o docs/modules.md"
    assert PAGE.read_text(encoding="utf-8") == result.out, fix


def test_the_page_lists_every_module_of_the_core_and_the_packs() -> None:
    repo = set(_repo_distributions())
    catalog = build_catalog()
    expected = sorted(name for name, e in catalog.entries.items() if e.distribution in repo)
    headings = [
        line[3:] for line in PAGE.read_text(encoding="utf-8").splitlines() if line.startswith("## ")
    ]

    assert headings == expected
    assert {"csv_source", "join_mod", "sql_source"} <= set(headings)
    assert not {"greet_source", "upper_mod"} & set(headings)  # the test-only pack is left out
