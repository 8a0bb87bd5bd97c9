"""Bad surroundings (issue 10, item 19): unwritable folders, damaged job folders and journals,
a full disk, a closed pipe, out-of-range settings. Each is one ``error:`` line naming the file,
the right exit code, no traceback, and no torn or half-written records."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

FLOW = """\
flow: {name: small}
modules:
  - {id: rows, name: fixed_rows, configs: {required: {rows: [{n: 1}, {n: 2}]}}}
  - {id: show, name: log_row}
connections:
  data: ["rows.data - show.input"]
"""


def _one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if not line.startswith("  hint:")]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert lines[0].startswith("error: ")
    return lines[0]


def _write(tmp_path: Path, text: str = FLOW) -> None:
    (tmp_path / "flow.yaml").write_text(text, encoding="utf-8")


def test_build_into_an_unwritable_folder(pype: Any, tmp_path: Path) -> None:
    _write(tmp_path)
    for out in ("/proc/nope", "/dev/null/jobs"):
        result = pype("build", "flow.yaml", "-o", out)
        assert result.code == 2
        assert out in _one_error_line(result.err)


def test_log_file_that_cannot_be_written(pype: Any, tmp_path: Path) -> None:
    _write(tmp_path)
    result = pype("run", "flow.yaml", "--log-file", "/proc/nope/x.log")
    assert result.code == 2
    assert "cannot write the log file /proc/nope/x.log" in _one_error_line(result.err)
    job = tmp_path / "jobs" / "small"
    assert not (job / "checkpoints").exists() and not (job / "runs").exists()
    assert pype("run", "flow.yaml").code == 0  # nothing was left to refuse


def test_job_folder_without_its_context(pype: Any, tmp_path: Path) -> None:
    _write(tmp_path)
    assert pype("build", "flow.yaml").code == 0
    for path in (tmp_path / "jobs" / "small" / "context").iterdir():
        path.unlink()
    result = pype("run", "jobs/small")
    assert result.code == 2
    assert "small_default.json is missing" in _one_error_line(result.err)


def test_garbled_checkpoint_journal(pype: Any, tmp_path: Path) -> None:
    _write(
        tmp_path,
        FLOW.replace("show, name: log_row}", "show, name: log_row}\n  - {id: boom, name: fail}"),
    )
    assert pype("run", "flow.yaml").code == 1
    journal = tmp_path / "jobs" / "small" / "checkpoints" / "journal.jsonl"
    lines = journal.read_text().splitlines()
    journal.write_text("\n".join([lines[0], "{not json", *lines[1:]]) + "\n")
    result = pype("run", "flow.yaml", "--resume")
    assert result.code == 2
    line = _one_error_line(result.err)
    assert str(journal.relative_to(tmp_path)) in line and "corrupt at line 2" in line
    assert "--fresh" in result.err
    assert pype("run", "flow.yaml", "--fresh").code == 1  # --fresh gets past it


def test_a_full_disk_leaves_no_torn_line(tmp_path: Path) -> None:
    rows = ", ".join(f"{{n: {i}, t: {'x' * 200}}}" for i in range(200))
    _write(
        tmp_path,
        FLOW.replace("[{n: 1}, {n: 2}]", f"[{rows}]").replace(
            "name: log_row}", "name: log_row, configs: {optional: {limit: 200}}}"
        ),
    )
    build = subprocess.run([sys.executable, "-m", "pypeline", "build", "flow.yaml"], cwd=tmp_path)
    assert build.returncode == 0

    def small_files() -> None:  # every file this process writes stops at 24 KB: a full disk
        resource.setrlimit(resource.RLIMIT_FSIZE, (24_000, 24_000))

    proc = subprocess.run(
        [sys.executable, "-m", "pypeline", "run", "jobs/small"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        preexec_fn=small_files,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    line = _one_error_line(proc.stderr.split("\n", proc.stderr.count("\n") - 1)[-1])
    assert line.startswith("error: cannot write the ") and (
        "File too large" in line or "full" in line
    )
    assert "--- Logging error ---" not in proc.stderr
    job = tmp_path / "jobs" / "small"
    (run_dir,) = (job / "runs").iterdir()
    for records in (run_dir / "log.jsonl", job / "checkpoints" / "journal.jsonl"):
        raw = records.read_bytes()
        assert raw.endswith(b"\n")
        for whole in raw.splitlines():
            json.loads(whole)  # every line whole


def test_closed_pipe_is_quiet() -> None:
    proc = subprocess.run(
        f"{sys.executable} -m pypeline list-modules | head -1",
        shell=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.stdout.count("\n") == 1
    assert "BrokenPipeError" not in proc.stderr and "Traceback" not in proc.stderr


def test_out_of_range_deployment_values(pype: Any, tmp_path: Path) -> None:
    _write(tmp_path)
    for name, value in (
        ("PYPELINE_MAX_RAM_SHARE", "7"),
        ("PYPELINE_MAX_RAM_SHARE", "0"),
        ("PYPELINE_MAX_RAM_SHARE", "nan"),
        ("PYPELINE_THREADS", "0"),
        ("PYPELINE_SPILL_THRESHOLD_ROWS", "-1"),
    ):
        result = pype("run", "flow.yaml", env={name: value})
        assert result.code == 2, (name, value, result.err)
        assert f"from {name} must be" in _one_error_line(result.err)


def test_spill_errors_name_the_output(pype: Any, tmp_path: Path) -> None:
    _write(tmp_path)
    (tmp_path / "afile").write_text("not a folder")
    env = {"PYPELINE_SPILL_DIR": str(tmp_path / "afile"), "PYPELINE_SPILL_THRESHOLD_ROWS": "0"}
    result = pype("run", "flow.yaml", env=env)
    assert result.code == 1
    summary = json.loads(
        next((tmp_path / "jobs" / "small" / "runs").iterdir()).joinpath("summary.json").read_text()
    )
    assert "rows.data" in summary["nodes"]["rows"]["error"]
    assert "afile" in summary["nodes"]["rows"]["error"]


def test_retry_line_names_the_sub_flow(pype: Any, tmp_path: Path) -> None:
    _write(
        tmp_path,
        FLOW.replace(
            "flow: {name: small}", "flow: {name: small}\nsettings: {retries: 1, retry_delay: 0}"
        ).replace("show, name: log_row}", "show, name: log_row}\n  - {id: boom, name: fail}"),
    )
    result = pype("run", "flow.yaml")
    assert "↻ retry sf_boom: attempt 2 of 2" in result.err + result.out
