"""docs/expressions.md is what `pype docs-functions` generates from the packs of this repository.

Runs in the e2e env, where the core and every pack are installed from the working tree, so a
function added, renamed or re-described anywhere (or a change to the page's hand-written part
in ``pypeline.cli.cli_docs_functions``) makes this test fail until the page is regenerated with
the command its header names.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pypeline.plugins.facade import PluginHooks

REPO = Path(__file__).resolve().parents[2]
PAGE = REPO / "docs" / "expressions.md"


def _repo_distributions() -> list[str]:
    """The distributions of this repository: pypeline-core and every pack beside it."""
    return sorted(
        tomllib.loads(p.read_text(encoding="utf-8"))["project"]["name"]
        for p in REPO.glob("pypeline-*/pyproject.toml")
    )


def _command(distributions: list[str]) -> list[str]:
    return ["docs-functions", *(arg for d in distributions for arg in ("-d", d))]


def test_the_page_is_up_to_date(pype: Any) -> None:
    distributions = _repo_distributions()
    result = pype(*_command(distributions))
    assert result.code == 0, result.output

    fix = "regenerate it: pype " + " ".join(_command(distributions)) + " -o docs/expressions.md"
    assert PAGE.read_text(encoding="utf-8") == result.out, fix


def test_the_page_documents_every_function_of_the_core_and_the_packs() -> None:
    page = PAGE.read_text(encoding="utf-8")
    repo = set(_repo_distributions())
    functions = PluginHooks().expression_functions()
    owners = {
        name: answer.distribution
        for answer in PluginHooks().answers("pypeline_expression_functions")
        for name in dict(answer.value or {})
    }
    for name, fn in functions.items():
        anchor = f'<a id="{name}"></a>**`{fn.signature}`**'
        assert (anchor in page) == (owners[name] in repo), name
    assert "initials" in functions and "`initials(s)`** ·" not in page  # test-only pack left out
    assert "## Nulls" in page and "values_nulled" in page
