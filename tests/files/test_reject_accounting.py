"""csv_source's rejects are never lost in silence (issue 10, item 5): a dtypes mismatch that
sends nearly every line to an unread reject port is counted, announced, and can fail the job."""

from __future__ import annotations

from pathlib import Path

from pypeline.testing import run_flow

FLOW = """\
flow: {{name: typed}}
settings: {{{settings}}}
modules:
  - {{id: src, name: csv_source, configs: {{required: {{file_path: in.csv}}, optional: {{dtypes: {{amount: int}}}}}}}}
  - {{id: out, name: csv_sink, configs: {{required: {{output_path: out.csv}}}}}}
connections:
  data: ["src.data - out.input"{extra}]
"""


def _data(tmp_path: Path) -> None:
    lines = ["id,amount"] + [f"{i},{i}.5" for i in range(1, 10_018)] + ["10018,7", "10019,8"]
    (tmp_path / "in.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_dtypes_mismatch_is_counted_and_announced(tmp_path: Path) -> None:
    _data(tmp_path)
    run = run_flow(FLOW.format(settings="", extra=""), tmp_path)
    assert run.exit_code == 0  # warn is the default, and says so
    src = run.node("src")
    assert src["rows_out"] == 2 and src["rows_rejected"] == 10_017
    (dropped,) = run.of("rejects_dropped")
    assert dropped["node_id"] == "src" and dropped["rows_rejected"] == 10_017
    assert "10017 rejected rows of src" in dropped["message"]


def test_max_share_fails_the_source(tmp_path: Path) -> None:
    _data(tmp_path)
    run = run_flow(FLOW.format(settings="rejects: {max_share: 0.01}", extra=""), tmp_path)
    assert run.exit_code == 1
    assert "rejected 10017 of 10019 rows" in run.node("src")["error"]
    assert not (tmp_path / "out.csv").exists()  # the sink never ran


def test_unconnected_fail_and_a_connected_reject_sink(tmp_path: Path) -> None:
    _data(tmp_path)
    failed = run_flow(FLOW.format(settings="rejects: {unconnected: fail}", extra=""), tmp_path)
    assert failed.exit_code == 1
    assert "unconnected reject port" in failed.node("src")["error"]
    connected = FLOW.format(
        settings="rejects: {unconnected: fail}", extra=', "src.reject - bad.input"'
    ).replace(
        "modules:\n",
        "modules:\n  - {id: bad, name: csv_sink, configs: {required: {output_path: bad.csv}}}\n",
    )
    kept = run_flow(connected, tmp_path, resume=False)
    assert kept.exit_code == 0
    assert kept.node("bad")["rows_in"] == 10_017
    assert len((tmp_path / "bad.csv").read_text().splitlines()) == 10_018
