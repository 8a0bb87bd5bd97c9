"""The core's function library as a plugin: every function of SPEC §3, documented, light."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pypeline.expressions.functions import registry
from pypeline.plugins.facade import PluginHooks
from pypeline.plugins.plugins import CORE_DISTRIBUTION, get_plugins

SPEC = {
    "text": "lower upper strip lstrip rstrip length substr replace regex_replace regex_extract "
    "contains startswith endswith concat split_part pad_left",
    "conversion": "to_int to_float to_str to_bool to_date to_datetime to_number",
    "nulls": "coalesce is_null if_else nullif",
    "numbers": "round abs floor ceil least greatest",
    "dates": "year month day weekday date_diff_days add_days today now",
}
CONVERSIONS = {"to_int", "to_float", "to_bool", "to_date", "to_datetime", "to_number"}


@pytest.mark.parametrize("group", sorted(SPEC))
def test_every_function_of_the_spec_is_registered_by_the_core(group: str) -> None:
    functions = registry()
    for name in SPEC[group].split():
        function = functions[name]
        expected = "conversion" if name in {"to_date", "to_datetime"} else group
        assert function.group == expected, name
        assert len(function.description) > 20 and function.nulls, name
        if name in CONVERSIONS:
            assert function.counts_nulled, name


def test_the_library_is_a_plugin_of_the_core_distribution() -> None:
    from pypeline.expressions import plugin

    plugins = get_plugins()
    assert plugins.pm.get_name(plugin) == "pypeline.expressions.plugin"
    assert plugins.distribution_of(plugin) == CORE_DISTRIBUTION
    ours = plugin.pypeline_expression_functions()
    hooked = PluginHooks(plugins).expression_functions()
    assert all(name == f.name and hooked[name] is f for name, f in ours.items())


def test_signatures_say_what_is_optional_and_what_repeats() -> None:
    functions = registry()
    assert functions["substr"].signature == "substr(s, start[, length])"
    assert functions["concat"].signature == "concat(a, b, ...)"
    assert functions["to_datetime"].signature == "to_datetime(s[, format])"
    assert functions["today"].signature == "today()"


def test_listing_the_functions_imports_no_data_library() -> None:
    code = (
        "import sys, pypeline.expressions.plugin as p; p.pypeline_expression_functions(); "
        "print(sorted(m for m in ('pandas', 'pyarrow', 'numpy', 'dask') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
