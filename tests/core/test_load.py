"""The load phase as a user meets it: every problem of a flow file, each at its line and column."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from pypeline.build.load.load import load_flow
from pypeline.plugins.catalog import Catalog
from pypeline.shared.errors import FlowError, UsageError

LoadProblems = Callable[[str], list[FlowError]]
HEAD = "flow:\n  name: demo\nmodules:\n"  # module entries start on line 4
READ = "  - id: read\n    name: csv_source\n    configs:\n      required:\n"  # keys on line 8
SHOW = "  - id: show\n    name: log_row\n    configs:\n      optional:\n"  # keys on line 8
LOG = "  - {id: a, name: log_row}\n"  # line 4, so what follows starts on line 5

# One problem per flow: the text, then what `pype` prints (`<file>:<line>:<col>: <message>`, and
# the hint line when there is one).
# fmt: off
BAD_FLOWS = [
    (HEAD + "  - {id: a, name: log_row\n",
     "flow.yaml:5:1: bad YAML: expected ',' or '}', but got '<stream end>'\n"
     "  hint: while parsing a flow mapping started at line 4, column 5"),
    ("flow:\n\tname: demo\n",
     "flow.yaml:2:1: bad YAML: found character '\\t' that cannot start any token\n"
     "  hint: indent with spaces: YAML does not allow tabs"),
    ("# nothing yet\n",
     "flow.yaml:1:1: the file is empty\n  hint: a flow needs at least flow and modules"),
    ("- flow\n- modules\n",
     "flow.yaml:1:1: the top level must be a mapping (flow:, settings:, modules:, ...)"),
    (HEAD + LOG + "flow:\n  name: again\n",
     "flow.yaml:5:1: duplicate key 'flow' (first given at line 1)\n"
     "  hint: YAML keeps only the last one; remove or rename one of them"),
    ("flow:\n  name: Demo Flow\nmodules:\n" + LOG,
     "flow.yaml:2:3: flow.name: 'Demo Flow' is not a snake_case identifier\n  hint: a snake_case"
     " identifier: lowercase letters, digits and _, starting with a letter (it names the job"
     " folder)"),
    (HEAD + LOG + "setings: {}\n",
     "flow.yaml:5:1: unknown top-level key 'setings'\n  hint: did you mean 'settings'?"),
    (HEAD + LOG + "settings:\n  threads: 4\n  fail_strategy: stop\n",
     "flow.yaml:7:3: settings.fail_strategy: 'stop' is not one of 'halt', 'continue'"),
    (HEAD + LOG + "settings:\n  retries: yes\n",
     "flow.yaml:6:3: settings.retries: expected an integer, got true"),
    (HEAD + "  - id: a\n    name: log_row\n    confgs: {}\n",
     "flow.yaml:6:5: modules[0]: unknown key 'confgs'\n  hint: did you mean 'configs'?"),
    ("flow:\n  name: demo\n",
     "flow.yaml:1:1: missing required top-level key 'modules'"),
    (HEAD + "  - id: read\n    name: csv_sorce\n",
     "flow.yaml:5:5: unknown module 'csv_sorce'\n  hint: did you mean 'csv_source'?"),
    (HEAD + "  - {id: show, name: log_row}\n  - {id: show, name: log_row}\n",
     "flow.yaml:5:6: duplicate module id 'show' (first declared at line 4)\n"
     "  hint: ids must be unique"),
    (HEAD + "  - id: out\n    name: parquet_sink\n    configs: {}\n",
     "flow.yaml:6:5: module 'out' (parquet_sink): missing required config key 'output_path'"),
    (HEAD + "  - id: out\n    name: parquet_sink\n",
     "flow.yaml:5:5: module 'out' (parquet_sink): missing required config key 'output_path'"),
    (HEAD + READ + "        file_path: a.csv\n      optional:\n        encodng: utf-8\n",
     "flow.yaml:10:9: module 'read' (csv_source): unknown config key 'encodng'\n"
     "  hint: did you mean 'encoding'?"),
    (HEAD + READ + "        file_path: 5\n",
     "flow.yaml:8:9: module 'read' (csv_source): file_path must be str, got int 5\n"
     "  hint: quote it to make it text"),
    (HEAD + READ + "        file_path:\n",
     "flow.yaml:8:9: module 'read' (csv_source): file_path must not be empty\n"
     "  hint: give it a value"),
    (HEAD + SHOW + "        limit: yes\n",
     "flow.yaml:8:9: module 'show' (log_row): limit must be int, got bool true"),
    (HEAD + SHOW + "        limit: 2.5\n",
     "flow.yaml:8:9: module 'show' (log_row): limit must be int, got float 2.5"),
    (HEAD + READ + "        file_path: 'in/{{ context.day }.csv'\n",
     "flow.yaml:8:9: module 'read' (csv_source): bad template syntax in file_path: "
     "unexpected '}'"),
    (HEAD + "  - id: p\n    name: probe\n    configs:\n      required: {ratio: 1}\n"
     "      optional: {mode: warp}\n",
     "flow.yaml:8:18: module 'p' (probe): mode: must be fast or slow"),
    (HEAD + READ + "        file_path: a.csv\n      optional:\n        file_path: b.csv\n",
     "flow.yaml:10:9: module 'read' (csv_source): config key 'file_path' is given under both"
     " required and optional\n  hint: keep only one of them"),
    (HEAD + "  - {id: in.csv, name: log_row}\n",
     "flow.yaml:4:6: modules[0].id: 'in.csv' is not a valid module id\n  hint: an identifier:"
     " letters, digits and _, starting with a letter (no '.' or '#': ids appear in"
     " '<id>.<port>' and '<id>#<i>')"),
    (HEAD + LOG + "  - {id: b, name: log_row}\nconnections:\n  control:\n"
     "    - {from: a, to: b, order: 0}\n",
     "flow.yaml:8:24: connections.control[0].order: 0 is not an integer >= 1 or 'Last'\n"
     "  hint: order 0 is reserved for data edges; 'Last' runs after every other order"),
    ("flow: {name: demo}\nmodules: &m [{id: a, name: log_row}, *m]\n",
     "flow.yaml:2:10: bad YAML: this anchored value contains itself through an alias\n"
     "  hint: an alias inside its own anchored value would repeat it without end"),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), BAD_FLOWS)
def test_a_bad_flow_is_refused_at_the_line_of_its_problem(
    load_problems: LoadProblems, text: str, expected: str
) -> None:
    assert [p.render() for p in load_problems(text)] == [expected]


def test_every_problem_of_a_file_is_reported_not_just_the_first(
    load_problems: LoadProblems,
) -> None:
    text = (
        "flow:\n  name: demo\nsettings:\n  threads: 0\n  mode: pandas\nmodules:\n"
        "  - id: read\n    name: csv_sorce\n"
        "  - id: read\n    name: log_row\n    configs:\n      optional: {limit: many}\n"
    )
    assert [(p.line, p.message) for p in load_problems(text)] == [
        (4, "settings.threads: 0 is less than the minimum of 1"),
        (5, "settings: unknown key 'mode'"),
        (8, "unknown module 'csv_sorce'"),
        (9, "duplicate module id 'read' (first declared at line 7)"),
        (12, "module 'read' (log_row): limit must be int, got str 'many'"),
    ]


@pytest.mark.usefixtures("probe_fork")
def test_a_module_name_installed_twice_names_both_distributions(
    load_problems: LoadProblems,
) -> None:
    [problem] = load_problems(HEAD + "  - id: p\n    name: probe\n")
    assert (problem.line, problem.message) == (
        5,
        "module name 'probe' is provided by more than one distribution: "
        "pypeline-probe, pypeline-probe-fork",
    )


GOOD = """\
flow:
  name: daily_sales
  created: 2025-01-15
settings:
  dask: {address: null}
context:
  default: {day: "2025-01-15"}
  prod:
modules:
  - id: read
    name: csv_source
    configs:
      optional:
        file_path: "in/{{ context.day }}.csv"
  - id: p
    name: probe
    configs:
      required: {ratio: 1}
  - id: show
    name: log_row
    configs:
      optional: {limit: "{{ context.n }}"}
connections:
  control:
    - read (1) p
"""


def test_a_good_flow_loads_with_positions_and_hash(flow_file: Path, probe_catalog: Catalog) -> None:
    """A required key under ``optional:``, an int for a float, a template for an int: all fine."""
    flow_file.write_text(GOOD, encoding="utf-8")
    doc = load_flow("flow.yaml", probe_catalog)
    assert doc.path == "flow.yaml"
    assert doc.sha256 == hashlib.sha256(flow_file.read_bytes()).hexdigest()
    assert doc.data["modules"][0]["configs"]["optional"]["file_path"] == "in/{{ context.day }}.csv"
    assert doc.where("flow", "name") == (2, 3)
    assert doc.where("modules", 1) == (15, 5)
    assert doc.where("modules", 1, "configs", "required", "ratio") == (18, 18)
    assert doc.where("modules", 1, "configs", "optional", "mode") == (17, 5)  # nearest ancestor
    assert doc.where("connections", "control", 0) == (25, 7)
    assert doc.where("nowhere") == (1, 1)
    error = doc.error(("modules", 0, "name"), "boom", "a hint")
    assert error.render() == "flow.yaml:11:5: boom\n  hint: a hint"


def test_a_missing_flow_file_is_bad_usage(flow_file: Path, probe_catalog: Catalog) -> None:
    with pytest.raises(UsageError, match=r"cannot read flow file missing\.yaml"):
        load_flow("missing.yaml", probe_catalog)


def test_on_yes_off_keys_stay_words(flow_file: Path, probe_catalog: Catalog) -> None:
    flow_file.write_text(
        "flow: {name: j}\nmodules:\n  - id: p\n    name: probe\n"
        "    configs: {required: {ratio: 0.5}}\ncontext:\n  default: {on: 1, yes: 2, off: 3}\n"
    )
    doc = load_flow("flow.yaml", probe_catalog)
    assert doc.data["context"]["default"] == {"on": 1, "yes": 2, "off": 3}
