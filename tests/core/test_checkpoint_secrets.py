"""ITERATE items that hold a secret never reach the checkpoint (issue 10, item 7): the sub flow
that made them is marked ``items_withheld`` and runs again on resume, to make them anew."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

MARKER = "itemsecret-5f0c2a9e71d4"

FLOW = """\
flow: {name: loopsecret}
modules:
  - {id: items, name: fixed_rows, configs: {required: {rows: [{user: a, pw: "{{ secret('env:PYPE_ITEM_PW') }}"}, {user: b, pw: "{{ secret('env:PYPE_ITEM_PW') }}x"}, {user: c, pw: plain}]}}}
  - {id: say, name: warn, configs: {required: {message: "user {{ iter.item.user }}"}}}
  - {id: boom, name: flaky, configs: {required: {trace_dir: trace}}}
connections:
  control:
    - "items (1|) iterate say"
    - "say (1|iter.index == 1) boom"
"""


def _everything_under(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())


def test_secret_items_are_withheld_and_made_again_on_resume(pype: Any, tmp_path: Path) -> None:
    (tmp_path / "flow.yaml").write_text(FLOW, encoding="utf-8")
    env = {"PYPE_ITEM_PW": MARKER}
    first = pype("run", "flow.yaml", env=env)
    assert first.code == 1  # flaky fails once, at the second item
    job = tmp_path / "jobs" / "loopsecret"
    assert MARKER.encode() not in _everything_under(job)
    records = [
        json.loads(x) for x in (job / "checkpoints" / "journal.jsonl").read_text().splitlines()
    ]
    made = next(r for r in records if r.get("sub") == "sf_items")
    assert made.get("items_withheld") is True and "items" not in made

    resumed = pype("run", "flow.yaml", "--resume", env=env)
    assert resumed.code == 0, resumed.err
    (run_dir,) = (job / "runs").iterdir()
    events = [json.loads(x) for x in (run_dir / "log.jsonl").read_text().splitlines()]
    second = events[[i for i, e in enumerate(events) if e["event"] == "job_start"][1] :]
    ran = [e["node_id"] for e in second if e["event"] == "module_end"]
    assert ran == ["items", "boom#1", "say#2"]  # items made again; say#0, say#1 restored
    assert [e["message"] for e in second if e["event"] == "log"] == ["user c"]
    assert MARKER.encode() not in _everything_under(job)
