"""The seed's rule, kept by a test: no Python file of the repository is over 200 lines.

A file that grows past it does more than one thing; split it where the seam is (see
docs/architecture.md, "where code goes"), do not raise the limit.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 200
SKIP = {".tox", ".git", "jobs", "node_modules", ".venv", "build", "dist"}


def _python_files() -> list[Path]:
    return [
        path
        for path in ROOT.rglob("*.py")
        if not SKIP.intersection(path.relative_to(ROOT).parts[:-1])
    ]


def test_no_python_file_is_over_200_lines() -> None:
    files = _python_files()
    assert len(files) > 100, "the scan found too few files to be looking at the repository"
    long = {
        str(path.relative_to(ROOT)): count
        for path in files
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > LIMIT
    }
    assert long == {}, f"over {LIMIT} lines: {long}"
