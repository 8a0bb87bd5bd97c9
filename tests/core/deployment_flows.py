"""The flow and the ``--show-config`` parser the deployment tests share."""

from __future__ import annotations

import re
from typing import Any

FLOW = """\
flow: {name: deployed}
settings: {threads: 2, artifacts: {spill_threshold_rows: 1000}}
modules:
  - {id: rows, name: fixed_rows, configs: {required: {rows: [1, 2, 3]}}}
  - {id: show, name: log_row}
connections:
  data: ["rows.data - show.input"]
"""


def config_table(result: Any) -> dict[str, tuple[str, str]]:
    out = {}
    for line in result.out.splitlines():
        match = re.match(r"^(\S+)\s+= (.*?)\s+\((.*)\)$", line)
        assert match, line
        out[match.group(1)] = (match.group(2), match.group(3))
    return out
