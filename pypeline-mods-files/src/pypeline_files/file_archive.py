"""``file_archive``: pack a file, a folder or a glob's matches into a zip or tar.gz archive.

The counterpart of Talend's tFileArchive. What goes in, under which names, and the writing
are in ``archive_write``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pypeline import BaseModule
from pypeline.sdk import checks
from pypeline_files.file_ops import as_list, check_paths, expand
from pypeline_files.paths import locate

if TYPE_CHECKING:
    from pypeline import RunContext

FORMATS = ("zip", "tar.gz")


class FileArchive(BaseModule):
    """Writes one archive of the given files and folders."""

    NAME = "file_archive"
    TYPE = "solo"
    CATEGORY = "File Operations"
    DESCRIPTION = """\
Packs files and folders into a zip or tar.gz archive, atomically (Talend's tFileArchive).

A solo module, e.g. to ship a run's outputs, or to keep the inputs it processed.

Options: `source` (required) is a file, a folder, a glob such as out/*.csv (a shell-style
mask: *, ?, [abc]) or a list of them; local paths (relative to the working directory) or
fsspec URLs. A file is stored under its own name; a folder's files are stored under their
path inside that folder (archiving `out/` stores `a.csv`, `daily/b.csv`). Two files that
would be stored under the same name fail the module. `output_path` (required): the archive
to write, local or fsspec URL; if it lies inside an archived folder it is not archived
itself. `format`: `zip` or `tar.gz`; when not set, taken from `output_path` (.zip; .tar.gz
or .tgz), and an output path with neither extension needs it. `recursive` (true): include
the files of sub-folders; false: only a folder's own files. `missing_ok` (false): a source
that does not exist, or a glob that matches nothing, is skipped instead of failing the
module (with nothing found, the archive is written empty).

Members are added in sorted order with their modification times; zip members are deflated.
The archive is written atomically (hidden temporary file, then renamed onto `output_path`),
so a failed run leaves the previous archive untouched; missing parent folders are created.
A directory at `output_path` fails the module and is left as it was. PYpeline's own files
inside archived folders (temporaries, append ledgers, `.pypeline-output` marks) are not
archived.
Sources are read as streams, so archiving from s3:// needs no local copy.

Globals: `count` (files archived), `archive_size` (bytes of the archive)."""
    GLOBALS = ["count", "archive_size"]
    PACKAGES = ["fsspec"]
    CONFIG_SCHEMA = {
        "required": {
            "source": {
                "type": "any",
                "description": "File, folder or glob to archive, or a list of them: local "
                "paths or fsspec URLs.",
            },
            "output_path": {
                "type": "str",
                "description": "Archive to write (.zip, .tar.gz, .tgz): local path or fsspec URL.",
            },
        },
        "optional": {
            "format": {
                "type": "str",
                "default": None,
                "description": "zip or tar.gz; default: from the output_path extension.",
            },
            "recursive": {
                "type": "bool",
                "default": True,
                "description": "Include the files of sub-folders of an archived folder.",
            },
            "missing_ok": {
                "type": "bool",
                "default": False,
                "description": "Skip a source that does not exist (or a glob matching "
                "nothing) instead of failing.",
            },
        },
    }

    @classmethod
    def check_config(cls, config: dict[str, Any]) -> list[tuple[str, str]]:
        """A known format, or an output path whose extension names one."""
        from pypeline_files.archive_write import format_of

        problems = check_paths(config, "source")
        if config.get("format") is not None:
            problems += checks.choice(config, "format", FORMATS)
        elif isinstance(config.get("output_path"), str) and not format_of(config["output_path"]):
            problems.append(
                (
                    "format",
                    f"not set, and {config['output_path']!r} ends in neither .zip, "
                    ".tar.gz nor .tgz: set format to zip or tar.gz",
                )
            )
        return problems

    async def run(self, inputs: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
        """Collect the members, write the archive off the event loop; publish globals."""
        from pypeline_files.archive_write import format_of, members, write_archive

        target = locate(self.config["output_path"])
        fmt = str(self.config.get("format") or format_of(target.path))
        sources = await ctx.executor.run_in_thread(
            expand, as_list(self.config["source"]), self.NAME, bool(self.config.get("missing_ok"))
        )
        recursive = bool(self.config.get("recursive", True))
        files = await ctx.executor.run_in_thread(members, sources, recursive, target)
        size = await ctx.executor.run_in_thread(write_archive, target, fmt, files)
        ctx.logger.info("file_archive: %d file(s) into %s", len(files), target.given)
        ctx.set_global("count", len(files))
        ctx.set_global("archive_size", size)
        return {}
