"""``file_move``: move (rename) files or directories, locally or between filesystems.

Talend does this with tFileCopy's "Remove source file", or tFileRename. Options and planning
are shared with ``file_copy`` in ``file_transfer``; the moving itself is ``file_ops.move``.
"""

from __future__ import annotations

from pypeline_files.file_transfer import FileTransfer


class FileMove(FileTransfer):
    """Moves sources to a target path or directory; the sources are gone afterwards."""

    NAME = "file_move"
    DESCRIPTION = """\
Moves or renames files or directories (Talend's tFileCopy with "Remove source file").

A solo module, typically run after a file was processed, to put it away
(`target: processed/`); Talend users also know it as tFileRename.

Options: `source` (required) is a file, a directory, a glob such as inbox/*.csv (a
shell-style mask: *, ?, [abc]) or a list of them; local paths (relative to the working
directory) or fsspec URLs. `target` (required): when it ends with "/", is an existing
directory, or there are several sources (a list, or a glob), it is the directory the sources
are moved into, each keeping its name (the directory is created if needed); otherwise it is
the new path of the one source (a rename).

`overwrite` (true): replace a target that exists (a directory is replaced whole, not merged);
false: fail instead. `missing_ok` (false): a source that does not exist, or a glob that
matches nothing, is skipped instead of failing the module. Every target is checked before
the first move: a target that exists (with overwrite false), two sources with the same name,
or a directory moved into itself fails the module with nothing moved.

What may be replaced (with `overwrite` true): a file by a file; a directory only if PYpeline
wrote it (file_copy, file_move and parquet_sink mark each directory they write with a hidden
`.pypeline-output` file), and a file by a directory only if it is a Parquet file parquet_sink
wrote. Any other clash (a folder of yours where a file or a folder would go, a file of yours
where a folder would go) fails the module before anything is done, naming the path.

On one local filesystem a move is a rename: instant and atomic. Across devices or
filesystems (local to s3://, ...) the source is copied (to a temporary name, renamed when
complete) and deleted only after the copy is in place; object stores move by copy and delete.

Globals: `count` (files and directories moved; a directory counts once)."""
    MOVE = True
