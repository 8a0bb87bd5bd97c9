"""The build's load phase: a flow YAML file becomes a validated ``FlowDoc`` (SPEC §4, §5).

Read the bytes (at most one past ``MAX_FILE_BYTES``: a flow may be ``/dev/zero``), parse the
YAML keeping every key's position, check the shape against the flow schema and the module ids
against SPEC §4, then check each module against the installed catalog. Every problem is
collected and the phase raises once, so a user fixes a whole file per run instead of one typo
per run.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

from pypeline.build.limits import MAX_FILE_BYTES
from pypeline.build.load.configs import check_modules
from pypeline.build.load.document import FlowDoc
from pypeline.build.load.ids import check_ids
from pypeline.build.load.schema import check_schema
from pypeline.build.load.yaml_marks import parse_yaml
from pypeline.plugins.catalog import Catalog
from pypeline.shared.errors import FlowError, FlowInvalid, UsageError


def load_flow(path: str | Path, catalog: Catalog) -> FlowDoc:
    """Load and validate a flow; raise ``FlowInvalid`` with every error, or return it."""
    shown = str(path)
    raw = _read(Path(path))
    if len(raw) > MAX_FILE_BYTES:
        raise FlowInvalid([_too_large(shown, raw)])
    parsed = parse_yaml(raw, shown)
    if parsed.data is None:  # syntax error, empty file, not a mapping: nothing else to check
        raise FlowInvalid(parsed.problems)
    doc = FlowDoc(
        path=shown,
        text=parsed.text,
        sha256=hashlib.sha256(raw).hexdigest(),
        data=parsed.data,
        marks=parsed.marks,
    )
    problems = [
        *parsed.problems,
        *check_schema(doc),
        *check_ids(doc),
        *check_modules(doc, catalog),
    ]
    _raise_errors(problems)
    return replace(doc, warnings=tuple(problems))  # no errors left: any problem is a warning


def _read(path: Path) -> bytes:
    """At most one byte more than a flow may have. A missing or unreadable file is bad usage
    (exit 2), not a problem inside a flow."""
    try:
        with path.open("rb") as stream:
            return stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"cannot read flow file {path}: {exc.strerror or exc}") from exc


def _too_large(shown: str, raw: bytes) -> FlowError:
    """Located where the limit is crossed, so an editor jumps to where the file grows too big."""
    line = raw.count(b"\n", 0, MAX_FILE_BYTES) + 1
    col = MAX_FILE_BYTES - raw.rfind(b"\n", 0, MAX_FILE_BYTES)
    message = f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB, the limit for a flow"
    hint = "keep large data out of the flow: put it in a file and read it with a source module"
    return FlowError(shown, line, col, message, hint)


def _raise_errors(problems: list[FlowError]) -> None:
    if any(problem.severity == "error" for problem in problems):
        raise FlowInvalid(problems)
