"""``file_delete``: delete files or directories, locally or on fsspec filesystems.

The counterpart of Talend's tFileDelete. The deleting itself is ``file_ops.delete``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pypeline import BaseModule
from pypeline_files.file_ops import as_list, check_paths, delete, expand

if TYPE_CHECKING:
    from pypeline import RunContext
    from pypeline_files.paths import Location


class FileDelete(BaseModule):
    """Deletes the given files, globs' matches or directories."""

    NAME = "file_delete"
    TYPE = "solo"
    CATEGORY = "File Operations"
    DESCRIPTION = """\
Deletes files or directories (Talend's tFileDelete).

A solo module, e.g. to clean a work folder before a run or to remove inputs once they are
loaded; a directory is deleted with everything in it.

Options: `path` (required) is a file, a directory, a glob such as tmp/*.csv (a shell-style
mask: *, ?, [abc]) or a list of them; local paths (relative to the working directory) or
fsspec URLs. `missing_ok` (false): a path that does not exist, or a glob that matches
nothing, is skipped instead of failing the module (Talend's "fail on error" unchecked).
`recursive` (false): also delete directories, with their contents; without it a directory
fails the module, so a wrong path cannot wipe a tree by accident.

Every path is resolved and checked (existence, directories) before the first deletion, so a
refused path deletes nothing.

Globals: `count` (files and directories deleted; a directory counts once)."""
    GLOBALS = ["count"]
    PACKAGES = ["fsspec"]
    CONFIG_SCHEMA = {
        "required": {
            "path": {
                "type": "any",
                "description": "File, directory or glob to delete, or a list of them: local "
                "paths or fsspec URLs.",
            },
        },
        "optional": {
            "missing_ok": {
                "type": "bool",
                "default": False,
                "description": "Skip a path that does not exist (or a glob matching nothing) "
                "instead of failing.",
            },
            "recursive": {
                "type": "bool",
                "default": False,
                "description": "Also delete directories and everything in them.",
            },
        },
    }

    @classmethod
    def check_config(cls, config: dict[str, Any]) -> list[tuple[str, str]]:
        """Paths must be non-empty strings (an empty one would resolve to the working dir)."""
        return check_paths(config, "path")

    async def run(self, inputs: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
        """Resolve and check everything, then delete one by one; publish ``count``."""
        recursive = bool(self.config.get("recursive", False))
        targets = await ctx.executor.run_in_thread(
            _resolve, as_list(self.config["path"]), bool(self.config.get("missing_ok")), recursive
        )
        for target in targets:
            await ctx.executor.run_in_thread(delete, target, recursive=recursive)
            ctx.logger.info("file_delete: deleted %s", target.given)
        ctx.set_global("count", len(targets))
        return {}


def _resolve(specs: list[str], missing_ok: bool, recursive: bool) -> list[Location]:
    unique = {location.path: location for location in expand(specs, "file_delete", missing_ok)}
    found = list(unique.values())
    for location in found:
        if not recursive and location.is_dir():
            raise IsADirectoryError(
                f"file_delete: {location.given} is a directory (set recursive: true to delete it)"
            )
    return found
