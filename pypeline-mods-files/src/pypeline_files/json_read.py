"""Reading JSON arrays and JSON Lines for ``json_source``, in both execution modes.

Both modes parse with ``pandas.read_json(orient="records", dtype=False)`` (Dask calls it once
per block), so a flow reads the same columns with the same types whichever mode it runs in, and
the types are the JSON's own: strings stay strings ("007" is not turned into 7, as pandas'
default ``dtype=True`` would), numbers are int64 or float64 (float64 when a value is missing),
nested objects and arrays are dicts and lists. pyarrow's JSON reader is faster on JSON Lines,
but it infers other types (timestamps from text, structs) than pandas does for arrays, and one
file read two ways must not change its columns when renamed from .json to .jsonl.

A parse error is reported with the file and, found by the standard library's ``json`` on the
error path only, the line (JSON Lines) or line and column (array) where it is.
"""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING, Any

from pypeline_files.compression import open_binary_input, plain_name

if TYPE_CHECKING:
    import dask.dataframe as dd
    import pandas as pd

    from pypeline_files.paths import Location

NAME = "json_source"
_LINES_EXTENSIONS = (".jsonl", ".ndjson")
_BLOCKSIZE = 64 * 2**20


def is_lines(path: str, lines: bool | None) -> bool:
    """``lines`` as configured, else JSON Lines for ``.jsonl``/``.ndjson`` (compressed too)."""
    if lines is not None:
        return bool(lines)
    return plain_name(path).lower().endswith(_LINES_EXTENSIONS)


def read_json_pandas(location: Location, lines: bool, encoding: str) -> pd.DataFrame:
    """The whole file as one DataFrame."""
    import pandas as pd

    if not lines:
        _require_array(location, encoding)
    with open_binary_input(location, NAME) as raw, io.TextIOWrapper(raw, encoding=encoding) as text:
        try:
            return pd.read_json(text, orient="records", lines=lines, dtype=False)
        except ValueError as err:
            raise ValueError(_explain(location, lines, encoding, err)) from err


def read_json_dask(location: Location, lines: bool, encoding: str) -> dd.DataFrame:
    """A lazy frame: JSON Lines in 64 MiB blocks parsed in parallel; an array (or a compressed
    file, which cannot be split) as one partition."""
    import dask
    import dask.dataframe as dd

    from pypeline_files.compression import fsspec_codec

    if not lines:
        _require_array(location, encoding)
    codec = fsspec_codec(location, NAME)
    read: Any = dd.read_json  # untyped in Dask
    with dask.config.set({"dataframe.convert-string": False}):
        frame: dd.DataFrame = read(
            location.url,
            orient="records",
            lines=lines,
            dtype=False,
            encoding=encoding,
            compression=codec,
            blocksize=_BLOCKSIZE if lines and codec is None else None,
        )
    return frame


def _require_array(location: Location, encoding: str) -> None:
    """pandas reads a top-level object as columns, silently: refuse it with a hint instead."""
    with open_binary_input(location, NAME) as raw, io.TextIOWrapper(raw, encoding=encoding) as text:
        head = text.read(4096).lstrip("\ufeff \t\r\n")
    if head.startswith("{"):
        raise ValueError(
            f"{NAME}: {location.given} holds a JSON object, not an array of objects "
            "(for one object per line, set lines: true)"
        )


def _explain(location: Location, lines: bool, encoding: str, err: ValueError) -> str:
    """Where the file stops being valid JSON, in the user's terms (line, column)."""
    where = ""
    with open_binary_input(location, NAME) as raw, io.TextIOWrapper(raw, encoding=encoding) as text:
        try:
            if lines:
                for number, line in enumerate(text, 1):
                    if line.strip():
                        where = f"line {number}"
                        json.loads(line)
                where = ""
            else:
                json.load(text)
        except json.JSONDecodeError as bad:
            if not lines:
                where = f"line {bad.lineno}, column {bad.colno}"
            return f"{NAME}: {location.given}: invalid JSON at {where}: {bad.msg}"
    return f"{NAME}: cannot read {location.given}: {err}"
