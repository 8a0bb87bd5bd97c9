"""``pype docs-modules``: the Markdown reference generated from the installed modules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pypeline.plugins.catalog import build_catalog


def _core_modules() -> list[str]:
    catalog = build_catalog()
    return sorted(n for n, e in catalog.entries.items() if e.distribution == "pypeline-core")


def test_the_page_documents_every_core_module_and_only_the_packs_asked(pype: Any) -> None:
    result = pype("docs-modules", "-d", "pypeline-core")
    assert result.code == 0, result.output
    page = result.out

    assert page.startswith("# Modules\n")
    assert "`pype docs-modules -d pypeline-core -o docs/modules.md`" in page
    headings = [line[3:] for line in page.splitlines() if line.startswith("## ")]
    assert headings == _core_modules()
    assert "upper_mod" not in page  # the example pack is installed but was not asked for


def test_a_section_has_ports_options_defaults_and_descriptions(pype: Any) -> None:
    page = pype("docs-modules", "-d", "pypeline-core").out
    union = page.split("## union_mod\n", 1)[1].split("\n## ", 1)[0]

    assert "union_mod:UnionMod`" in union
    assert "- input ports: `input1`, `input2`, `input3` (optional), `input4` (optional)" in union
    assert "- output ports: `output`" in union
    assert "- dask mode: yes" in union
    assert (
        "| `distinct` | bool | `false` | Remove duplicate rows after appending (SQL UNION). |"
        in union
    )
    aggregate = page.split("## aggregate_mod\n", 1)[1].split("\n## ", 1)[0]
    assert "| `group_by` | list | required |" in aggregate
    assert "count(*)" in aggregate


def test_output_file_holds_what_stdout_shows(pype: Any, tmp_path: Path) -> None:
    written = pype("docs-modules", "-d", "pypeline-core", "-o", "docs/modules.md")
    assert written.code == 0, written.output
    assert written.out.startswith("wrote docs/modules.md (")
    shown = pype("docs-modules", "-d", "pypeline-core").out
    assert (tmp_path / "docs" / "modules.md").read_text(encoding="utf-8") == shown


def test_a_distribution_that_is_not_installed_is_refused(pype: Any) -> None:
    result = pype("docs-modules", "-d", "pypeline-mods-nope")
    assert result.code == 2
    assert result.err.splitlines()[0] == "error: distribution 'pypeline-mods-nope' is not installed"
