"""Which outputs PYpeline wrote itself, and which names are its own bookkeeping, not data.

A sink may replace what it wrote on an earlier run, but never a folder or a file it did not
write (SPEC §3: a ``csv_sink`` pointed at a folder of reports must not delete the folder). A
plain file cannot carry a mark, and replacing a file with a file is an ordinary overwrite;
what needs a mark is a *directory* output and a file that a directory output may replace:

- every directory output (a Parquet dataset, a copied or moved folder) holds a hidden
  ``.pypeline-output`` file naming the module that wrote it. Parquet, Dask, Spark and DuckDB
  readers skip hidden files, so the mark is invisible to them;
- a Parquet file written by ``parquet_sink`` carries the key ``pypeline.output`` in its
  footer's metadata, so switching the sink from pandas mode (one file) to dask mode (a
  directory) replaces its own file.

Beside outputs PYpeline also keeps temporaries (``pypeline.sdk.temporaries``), append
ledgers (``.<name>.appends.json``) and these marks; ``is_bookkeeping`` tells them apart from
data, so ``file_list`` and ``file_archive`` never hand them on.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from pypeline.sdk.temporaries import is_temporary

if TYPE_CHECKING:
    from pypeline_files.paths import Location

#: The mark inside every directory output.
MARKER = ".pypeline-output"
#: The footer metadata key of Parquet files written by ``parquet_sink``.
PARQUET_KEY = b"pypeline.output"
_LEDGER_SUFFIX = ".appends.json"


def mark_directory(directory: Location, module: str) -> None:
    """Write the mark into a directory output (before it is moved into place)."""
    note = {"written_by": module, "note": "PYpeline may replace this directory on a later run"}
    with directory.fs.open(f"{directory.path.rstrip('/')}/{MARKER}", "wb") as handle:
        handle.write(json.dumps(note).encode("utf-8"))


def written_by_pypeline(location: Location) -> bool:
    """Whether the existing ``location`` is an output PYpeline wrote (see the module doc)."""
    if location.is_dir():
        return bool(location.fs.exists(f"{location.path.rstrip('/')}/{MARKER}"))
    return _is_our_parquet_file(location)


def is_bookkeeping(relative: str) -> bool:
    """Whether a path (relative to a listed folder) is, or lies inside, PYpeline's own file:
    a temporary, an append ledger or a directory mark. Other hidden files are data."""
    parts = [part for part in relative.split("/") if part]
    if any(is_temporary(part) for part in parts):
        return True
    name = parts[-1] if parts else ""
    return name == MARKER or (name.startswith(".") and name.endswith(_LEDGER_SUFFIX))


def _is_our_parquet_file(location: Location) -> bool:
    """A Parquet file (``PAR1`` at both ends) whose footer carries ``PARQUET_KEY``; reads the
    footer only, and only of a file that a directory output is about to replace."""
    import pyarrow.parquet as pq

    try:
        with location.fs.open(location.path, "rb") as handle:
            handle.seek(-4, 2)
            if handle.read(4) != b"PAR1":
                return False
            handle.seek(0)
            metadata = pq.read_metadata(handle).metadata or {}
    except (OSError, ValueError):
        return False
    return PARQUET_KEY in metadata
