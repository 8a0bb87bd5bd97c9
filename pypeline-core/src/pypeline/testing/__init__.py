"""``pypeline.testing``: the test kit of PYpeline, for the core's tests and pack authors alike.

A pytest plugin installed with the core (entry point ``pytest11``), as tox ships ``tox.pytest``:
in any environment with ``pypeline-core`` installed, a test can ask for the fixtures
``pypeline_flow`` (build and run a flow in ``tmp_path``), ``pype`` (the real CLI) and
``pypeline_plugin`` (register a plugin object for one test). The functions are imported:
``run_module`` runs one module as the engine would, ``cancel_while_running`` cancels one as a
job timeout does, ``resolve_secret`` calls a secret resolver as ``secret()`` does; ``run_flow``
and ``run_pype`` are the fixtures' workers, and ``ConfigError`` is what a config the engine
refuses raises. docs/testing.md shows them at work. The engine, pandas and Dask are imported
when a function is first used, so loading the plugin costs other test suites nothing.
"""

from pypeline.run.execution.config_check import ConfigError
from pypeline.testing.cancel import Cancelled, cancel_while_running
from pypeline.testing.fixtures import pype, pypeline_flow, pypeline_plugin
from pypeline.testing.flows import (
    FlowRun,
    PypeResult,
    only_run_dir,
    read_events,
    run_flow,
    run_pype,
)
from pypeline.testing.modules import ModuleRun, rows, run_module
from pypeline.testing.plugins import registered_plugin, resolve_secret

__all__ = [
    "Cancelled",
    "ConfigError",
    "FlowRun",
    "ModuleRun",
    "PypeResult",
    "cancel_while_running",
    "only_run_dir",
    "pype",
    "pypeline_flow",
    "pypeline_plugin",
    "read_events",
    "registered_plugin",
    "resolve_secret",
    "rows",
    "run_flow",
    "run_module",
    "run_pype",
]
