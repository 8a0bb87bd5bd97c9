"""``file_copy``: copy files or directories, locally or between filesystems.

The counterpart of Talend's tFileCopy. Options and planning are shared with ``file_move`` in
``file_transfer``; the copying itself is ``file_ops.copy``.
"""

from __future__ import annotations

from pypeline_files.file_transfer import FileTransfer


class FileCopy(FileTransfer):
    """Copies sources to a target path or directory; the sources stay."""

    NAME = "file_copy"
    DESCRIPTION = """\
Copies files or directories, locally or between filesystems (Talend's tFileCopy).

A solo module: link it with control connections (e.g. after a sink, before a file_delete).

Options: `source` (required) is a file, a directory, a glob such as data/*.csv (a shell-style
mask: *, ?, [abc]) or a list of them; local paths (relative to the working directory) or
fsspec URLs. `target` (required): when it ends with "/", is an existing directory, or there
are several sources (a list, or a glob), it is the directory the sources are copied into,
each keeping its name (the directory is created if needed); otherwise it is the new path of
the one source (a copy under another name). Sources and target may be on different
filesystems (local to s3://, ...). A directory is copied with everything in it.

`overwrite` (true): replace a target that exists (a directory is replaced whole, not merged);
false: fail instead. `missing_ok` (false): a source that does not exist, or a glob that
matches nothing, is skipped instead of failing the module. Every target is checked before
the first copy starts: a target that exists (with overwrite false), two sources with the same
name, or a directory copied into itself fails the module with nothing copied.

What may be replaced (with `overwrite` true): a file by a file; a directory only if PYpeline
wrote it (file_copy, file_move and parquet_sink mark each directory they write with a hidden
`.pypeline-output` file), and a file by a directory only if it is a Parquet file parquet_sink
wrote. Any other clash (a folder of yours where a file or a folder would go, a file of yours
where a folder would go) fails the module before anything is done, naming the path.

Each copy is written to a hidden temporary name beside its target and renamed when complete,
so a failed copy leaves no partial file; local copies keep modification times.

Globals: `count` (files and directories copied; a directory counts once)."""
    MOVE = False
