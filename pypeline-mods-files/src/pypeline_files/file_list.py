"""``file_list``: the files of a directory that match a pattern, as a list to iterate over.

The counterpart of Talend's tFileList: connect it with an ``iterate`` control edge and the
downstream runs once per file, with the path in ``{{ iter.item }}``.
"""

from __future__ import annotations

import fnmatch
from typing import TYPE_CHECKING, Any

from pypeline import BaseModule
from pypeline_files.output_marks import is_bookkeeping
from pypeline_files.paths import locate, require_directory

if TYPE_CHECKING:
    from pypeline import RunContext
    from pypeline_files.paths import Location


class FileList(BaseModule):
    """Lists matching files (not directories), sorted, on ``items``."""

    NAME = "file_list"
    TYPE = "solo"
    CATEGORY = "File Operations"
    DESCRIPTION = """\
Lists matching files, sorted, for an ITERATE connection (Talend's tFileList).

Lists the files of `directory` whose names match `pattern` and puts their paths, sorted, on
`items` (a list of strings) for an ITERATE connection: each downstream run sees one path as
`{{ iter.item }}`. Directories are never listed, only files. PYpeline's own files are never
listed either: sinks' temporaries (`.<name>.<hex>.pype-tmp...`, and anything inside one),
append ledgers (`.<name>.appends.json`) and dataset marks (`.pypeline-output`). Other hidden
files (names starting with ".") are data like any other: the default pattern "*" lists them;
use a pattern such as `[!.]*` to leave them out.

Options: `directory` (required) is a local path, relative to the working directory, or an fsspec
URL (s3://bucket/dir, memory://dir, ...). `pattern` ("*") is a shell-style mask matched against
the file name, case-sensitively (`*.csv`, `sales_2024-??.csv`, `[ab]*`); a pattern containing
"/" is matched against the path relative to `directory` instead. `recursive` (false) also lists
the files of sub-directories, at any depth.

Each path starts with `directory` exactly as configured (`data` gives `data/a.csv`, a URL gives
URLs), so the items can be passed straight to csv_source or parquet_source. A missing directory
fails the module with an error naming it; an empty match is an empty list.

Globals: `count` (number of files listed)."""
    OUTPUT_PORTS = ["items"]
    GLOBALS = ["count"]
    PACKAGES = ["fsspec"]
    DASK = True
    CONFIG_SCHEMA = {
        "required": {
            "directory": {
                "type": "str",
                "description": "Directory to list: local path (relative to the working "
                "directory) or fsspec URL.",
            },
        },
        "optional": {
            "pattern": {
                "type": "str",
                "default": "*",
                "description": "Shell-style file name mask, e.g. *.csv (case-sensitive).",
            },
            "recursive": {
                "type": "bool",
                "default": False,
                "description": "Also list files in sub-directories, at any depth.",
            },
        },
    }

    @classmethod
    def check_config(cls, config: dict[str, Any]) -> list[tuple[str, str]]:
        """An empty pattern would match nothing: say so before the run finds an empty list."""
        pattern = config.get("pattern", "*")
        if not isinstance(pattern, str) or not pattern:
            return [("pattern", f"must be a non-empty file name mask, got {pattern!r}")]
        return []

    async def run(self, inputs: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
        """List off the event loop (a remote listing can be slow); publish ``count``."""
        location = locate(self.config["directory"])
        pattern = str(self.config.get("pattern") or "*")
        recursive = bool(self.config.get("recursive", False))
        items = await ctx.executor.run_in_thread(list_files, location, pattern, recursive)
        ctx.set_global("count", len(items))
        return {"items": items}


def list_files(location: Location, pattern: str, recursive: bool) -> list[str]:
    """Sorted paths of the matching files, each spelled from the configured directory;
    PYpeline's own files (temporaries, append ledgers, dataset marks) are never listed."""
    require_directory(location, FileList.NAME)
    root = location.path.rstrip("/")
    if recursive:
        found = [str(path) for path in location.fs.find(root, withdirs=False)]
    else:
        entries = location.fs.ls(root, detail=True)
        found = [str(entry["name"]) for entry in entries if entry.get("type") == "file"]
    prefix = location.given.rstrip("/")
    items = []
    for path in found:
        relative = path[len(root) :].lstrip("/")
        if is_bookkeeping(relative):
            continue
        subject = relative if "/" in pattern else relative.rsplit("/", 1)[-1]
        if fnmatch.fnmatchcase(subject, pattern):
            items.append(f"{prefix}/{relative}")
    return sorted(items)
