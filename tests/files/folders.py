"""Folders of a user's files, and what they hold, for the refusal tests."""

from __future__ import annotations

from pathlib import Path


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (or ``root`` itself) with its bytes."""
    if root.is_file():
        return {".": root.read_bytes()}
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def user_folder(root: Path) -> Path:
    """A folder of a user's files, as the issue found it: reports/ with files and a sub-folder."""
    for name, text in [("q1.csv", "a\n1\n"), ("q2.csv", "a\n2\n"), ("old/q0.csv", "a\n0\n")]:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root
