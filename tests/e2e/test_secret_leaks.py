"""No secret leaks (SPEC §6), tried with real ``pype`` processes along every path a secret takes.

Two unique random markers are the secrets (``env:PYPE_LEAK``, 27 characters, and
``env:PYPE_LEAK_LONG``, 70, longer than ``log_row``'s 60-character cells). Each case runs a flow
that pushes them through one path, in four ways (``--log-format console``; ``json`` with the
parquet backend spilling into a spill folder and a ``--log-file``; ``--debug``;
``PYPELINE_DEBUG=1``), then reads every file left under the test's folder (job folder,
checkpoints, run records, spill folder, log file; binary files too), stdout and stderr: none may
hold a marker, a transformed marker (upper case, URL-encoded), or 8 or more characters of one.
"""

from __future__ import annotations

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from pypeline.run.observe.secret_spans import FRAGMENT_LENGTH

Result = subprocess.CompletedProcess[str]

_pick = secrets.SystemRandom()


def _letters(n: int) -> str:
    """Random lowercase letters: no run of them is a timestamp, a number or an English word."""
    return "".join(_pick.choices(string.ascii_lowercase, k=n))


# ' ', '+' and '@' make `| urlencode` change the text; the letters make `| upper` change it.
SHORT = f"lk{_letters(12)} q+z@{_letters(8)}"
LONG = f"lg{_letters(40)}/+ @{_letters(24)}"
assert len(SHORT) == 27 and len(LONG) == 70
FORMS = [form for s in (SHORT, LONG) for form in (s, s.upper(), quote(s, safe="/"))]
PIECES = {f[i : i + FRAGMENT_LENGTH] for f in FORMS for i in range(len(f) - FRAGMENT_LENGTH + 1)}


def _flow(name: str, body: str) -> str:
    """A flow: ``$S`` and ``$L`` in ``body`` stand for the two secrets' references."""
    body = body.replace("$S", "secret('env:PYPE_LEAK')")
    body = body.replace("$L", "secret('env:PYPE_LEAK_LONG')")
    return f"flow: {{name: {name}}}\nmodules:\n{body}"


def _warn(message: str) -> str:
    return f'  - {{id: say, name: warn, configs: {{required: {{message: "{message}"}}}}}}\n'


def _fail(message: str) -> str:
    return f'  - {{id: stop, name: fail, configs: {{optional: {{message: "{message}"}}}}}}\n'


ROWS = """\
  - id: rows
    name: fixed_rows
    configs:
      required:
        rows: [{tok: "{{ $S }}", n: 1}, {tok: "{{ $L }}", n: 2}, {tok: "id-{{ $L }}", n: 3}]
"""
PYTHON_MOD = """\
  - id: boom
    name: python_mod
    configs: {required: {function: "leaky:explode"}, optional: {args: {token: "{{ $L }}"}}}
connections:
  data: ["rows.data - boom.input"]
"""
LOOP = """\
  - {id: each, name: warn, configs: {required: {message: "{{ iter.index }}: {{ iter.item.tok }}"}}}
  - {id: stop, name: fail, configs: {optional: {message: "stopped at {{ iter.item.tok }}"}}}
connections:
  control: ["rows (1|) iterate each", "each (1|{{ iter.index }} == 2) stop"]
"""
LOG_ROW = """\
  - {id: show, name: log_row}
connections:
  data: ["rows.data - show.input"]
"""
SINK = """\
  - {id: out, name: csv_sink, configs: {required: {output_path: out/rows.csv}}}
connections:
  data: ["rows.data - out.input"]
"""
# case → (flow body, exit code of each run)
CASES: dict[str, tuple[str, int]] = {
    "rendered_plain": (_warn("{{ $S }} {{ $L }}"), 0),
    "rendered_upper": (_warn("{{ $S | upper }} {{ $L | upper }}"), 0),
    "rendered_urlencode": (_warn("{{ $S | urlencode }} {{ $L | urlencode }}"), 0),
    "rendered_concat": (_warn("{{ $S ~ 'x' }} {{ 'x' ~ $L }}"), 0),
    "log_row": (ROWS + LOG_ROW, 0),
    "fail_module": (_fail("no {{ $S }} {{ $L }}"), 1),
    "fail_module_transformed": (_fail("{{ $S | upper }} {{ $L | urlencode }}"), 1),
    "python_mod_error": (ROWS + PYTHON_MOD, 1),
    "iterate_items_and_checkpoint": (ROWS + LOOP, 1),
}
LEAKY_PY = """\
def explode(df, token):
    raise ValueError(f"login refused for {token} (starts {token[:20]}, ends {token[-15:]})")
"""
# mode → (options before `run`, options after it, environment)
MODES: dict[str, tuple[list[str], list[str], dict[str, str]]] = {
    "console": ([], ["--log-format", "console"], {}),
    "json_spill": (
        [],
        ["--log-format", "json", "--log-file", "extra/pype.log"],
        {"PYPELINE_ARTIFACT_BACKEND": "parquet", "PYPELINE_SPILL_DIR": "spill"},
    ),
    "debug_flag": (["--debug"], ["--log-format", "console"], {}),
    "debug_env": ([], ["--log-format", "json"], {"PYPELINE_DEBUG": "1"}),
}


def _pype(cwd: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    """``pype ARGS`` in a real process that has the two secrets in its environment."""
    full = {k: v for k, v in os.environ.items() if k != "PYPELINE_DEBUG"}
    full |= {"PYPE_LEAK": SHORT, "PYPE_LEAK_LONG": LONG, **(env or {})}
    command = [sys.executable, "-m", "pypeline", *args]
    return subprocess.run(command, cwd=cwd, env=full, capture_output=True, text=True, timeout=300)


def _leaks(where: str, text: str) -> list[str]:
    """``where: 'piece'`` for every 8-character piece of a secret's forms found in ``text``."""
    return [f"{where}: {piece!r}" for piece in sorted(PIECES) if piece in text]


def _files_leaks(root: Path, skip: set[Path]) -> list[str]:
    """The leaks in every file under ``root`` but ``skip`` (the user's own), binary ones too."""
    found = []
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p not in skip):
        found += _leaks(str(path.relative_to(root)), path.read_bytes().decode("utf-8", "replace"))
    return found


def _run_every_way(tmp_path: Path, flow: str, code: int) -> tuple[list[str], dict[str, Result]]:
    """Build ``flow`` and run it in every mode (then resume it, if it fails): the leaks found
    anywhere, and each mode's run."""
    (tmp_path / "flow.yaml").write_text(flow, encoding="utf-8")
    (tmp_path / "leaky.py").write_text(LEAKY_PY, encoding="utf-8")
    built = _pype(tmp_path, "build", "flow.yaml")
    assert built.returncode == 0, built.stderr
    job = built.stdout.split()[-1]
    runs = {mode: [*head, "run", job, "--fresh", *tail] for mode, (head, tail, _) in MODES.items()}
    if code == 1:
        runs["resume"] = ["run", job, "--resume", "--log-format", "json"]
    found: list[str] = []
    results: dict[str, Result] = {}
    for mode, args in runs.items():
        result = _pype(tmp_path, *args, env=MODES.get(mode, ([], [], {}))[2])
        assert result.returncode == code, (mode, result.stderr[-3000:])
        found += _leaks(f"{mode} stdout", result.stdout) + _leaks(f"{mode} stderr", result.stderr)
        results[mode] = result
    if code == 1:  # a failed run keeps its checkpoint, which the scan below reads
        assert any((tmp_path / job / "checkpoints").iterdir())
    return found + _files_leaks(tmp_path, {tmp_path / "flow.yaml", tmp_path / "leaky.py"}), results


@pytest.mark.parametrize("case", list(CASES))
def test_no_path_leaks_a_secret(case: str, tmp_path: Path) -> None:
    body, code = CASES[case]
    leaks, results = _run_every_way(tmp_path, _flow(case, body), code)
    assert leaks == []
    # the secrets did flow where the case says: masked, not absent
    assert all("***" in results[mode].stderr for mode in MODES), case


def test_the_scan_finds_what_a_sink_writes_and_the_runs_spilled(tmp_path: Path) -> None:
    """The harness's own check: rows a sink writes are the user's data, kept as they are, so the
    scan must find the secret there; and the ``json_spill`` runs did spill."""
    leaks, results = _run_every_way(tmp_path, _flow("sink", ROWS + SINK), 0)
    assert leaks and {leak.split(":")[0] for leak in leaks} == {"out/rows.csv"}
    assert '"event": "spill"' in results["json_spill"].stderr
    assert not any((tmp_path / "spill").rglob("*.parquet"))  # spill files removed after the run


def test_show_config_and_a_refused_run_never_print_a_token_from_pypeline_toml(
    tmp_path: Path,
) -> None:
    (tmp_path / "flow.yaml").write_text(_flow("plain", CASES["rendered_plain"][0]))
    toml = tmp_path / "deploy" / "pypeline.toml"
    toml.parent.mkdir()
    toml.write_text(f'[secrets.vault]\naddress = "http://127.0.0.1:1"\ntoken = "{LONG}"\n')
    env = {"PYPELINE_CONFIG": str(toml)}
    shown = _pype(tmp_path, "run", "flow.yaml", "--show-config", env=env)
    assert shown.returncode == 0 and '"token": "***"' in shown.stdout, shown.stderr
    refused = _pype(tmp_path, "--debug", "run", "flow.yaml", env=env)
    # the vault pack refuses a credential among its options, without printing it
    assert refused.returncode == 2 and "'token' is a credential" in refused.stderr
    leaks = _leaks("show-config", shown.stdout + shown.stderr)
    leaks += _leaks("refused run", refused.stdout + refused.stderr)
    assert leaks + _files_leaks(tmp_path, {tmp_path / "flow.yaml", toml}) == []
