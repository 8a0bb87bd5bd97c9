"""A third-party pack, installed like any other (pip install -e tests/plugins/...), just works.

tox's ``core`` env installs ``pypeline-mods-example``; its modules must reach the catalog through
the entry point, credited to their distribution, and run like built-in ones.
"""

from __future__ import annotations

import pytest

from pypeline import BaseModule
from pypeline.plugins.catalog import build_catalog
from pypeline.testing import run_module

EXAMPLE = "pypeline-mods-example"


@pytest.fixture(scope="module")
def example_modules() -> dict[str, type[BaseModule]]:
    catalog = build_catalog()
    found = {
        name: entry.cls for name, entry in catalog.entries.items() if entry.distribution == EXAMPLE
    }
    if not found:
        pytest.fail(f"{EXAMPLE} is not installed: pip install -e tests/plugins/{EXAMPLE}")
    return found


def test_catalog_credits_the_pack_with_its_modules(
    example_modules: dict[str, type[BaseModule]],
) -> None:
    assert sorted(example_modules) == ["flaky", "greet_source", "upper_mod"]
    catalog = build_catalog()
    assert catalog.entries["greet_source"].distribution == EXAMPLE
    assert catalog.entries["upper_mod"].distribution == EXAMPLE
    assert not [b for b in catalog.broken if b.distribution == EXAMPLE]


def test_metadata_describes_every_option(example_modules: dict[str, type[BaseModule]]) -> None:
    greet = example_modules["greet_source"].metadata()
    assert greet["type"] == "source"
    assert greet["output_ports"] == ["data"]
    assert greet["module_path"] == "pypeline_example.greet_source:GreetSource"
    for option in greet["config_schema"]["optional"].values():
        assert option["description"]


@pytest.mark.parametrize("mode", ["pandas", "dask"])
def test_greet_then_upper(example_modules: dict[str, type[BaseModule]], mode: str) -> None:
    greet, upper = example_modules["greet_source"], example_modules["upper_mod"]

    greeted = run_module(greet, {"names": ["Ada", "Grace", "Linus"], "greeting": "Hi"}, mode=mode)
    assert greeted.globals["row_count"] == 3
    shouted = run_module(
        upper, {"columns": ["message"]}, {"input": greeted.frame("data")}, mode=mode
    )

    assert shouted.frame("output").values.tolist() == [
        ["Ada", "HI, ADA!"],
        ["Grace", "HI, GRACE!"],
        ["Linus", "HI, LINUS!"],
    ]


@pytest.mark.parametrize("mode", ["pandas", "dask"])
def test_upper_defaults_to_every_text_column(
    example_modules: dict[str, type[BaseModule]], mode: str
) -> None:
    greeted = run_module(example_modules["greet_source"], {})
    shouted = run_module(
        example_modules["upper_mod"], {}, {"input": greeted.frame("data")}, mode=mode
    )
    assert shouted.frame("output").values.tolist() == [
        ["ADA", "HELLO, ADA!"],
        ["GRACE", "HELLO, GRACE!"],
    ]


def test_bad_names_are_refused_at_build_time(example_modules: dict[str, type[BaseModule]]) -> None:
    problems = example_modules["greet_source"].check_config({"names": "Ada"})
    assert problems == [("names", "must be a list of names (text), not 'Ada'")]
