"""Bytes that are not text in the file's encoding: found, located, and said in a user's words.

pyarrow does not fail on invalid UTF-8: it reads such a column as *binary*, and pandas then
holds ``b'caf\\xe9'`` values that no filter matches (a Latin-1 file read as UTF-8, the default).
Other encodings are decoded by Python's codecs, which raise ``UnicodeDecodeError`` with an offset
into some internal buffer. Neither says where the bad byte is. So whenever a read shows one of
these signs, ``bad_text_error`` walks the (decompressed) file once with an incremental decoder
and names the line and the byte offset of the first byte that does not decode, with a hint at
the encoding the file was probably written in.

A bad byte fails the module; it does not reject the line. A wrong encoding is a property of the
whole file, not of a line: every non-ASCII value is affected, and rejecting only the lines where
decoding fails would hand on the others with their text silently wrong (mojibake). Clean
files pay nothing: the walk runs only after a sign.
"""

from __future__ import annotations

import codecs
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

    from pypeline_files.csv_format import CsvFormat
    from pypeline_files.paths import Location

_CHUNK = 1 << 20


@dataclass(frozen=True)
class BadByte:
    """The first bytes that do not decode: physical line (from 1), offset, and the bytes."""

    line: int
    offset: int
    value: bytes


def is_text_error(err: BaseException) -> bool:
    """Whether a reader's exception says that some bytes did not decode."""
    return isinstance(err, UnicodeDecodeError) or "invalid UTF8" in str(err)


def binary_columns(table: pa.Table) -> list[str]:
    """Columns pyarrow read as binary: it does so only for values that are not valid UTF-8."""
    import pyarrow as pa

    return [
        f.name
        for f in table.schema
        if pa.types.is_binary(f.type) or pa.types.is_large_binary(f.type)
    ]


def bad_text_error(location: Location, fmt: CsvFormat, columns: Sequence[str] = ()) -> ValueError:
    """The located error for a file with undecodable bytes (``columns``: where they showed)."""
    bad = find_bad_byte(location, fmt.encoding)
    where = f" in column {', '.join(map(repr, columns))}" if columns else ""
    if bad is None:  # only pyarrow saw it (cannot happen with a codec that round-trips)
        return ValueError(
            f"csv_source: cannot read {location.given}: values{where} are not valid "
            f"{fmt.encoding} text{_hint(fmt.encoding, b'')}"
        )
    shown = " ".join(f"0x{byte:02x}" for byte in bad.value[:4])
    return ValueError(
        f"csv_source: cannot read {location.given}: line {bad.line}: byte {shown} (offset "
        f"{bad.offset}) is not valid {fmt.encoding}{where}{_hint(fmt.encoding, bad.value)}"
    )


def find_bad_byte(location: Location, encoding: str) -> BadByte | None:
    """The first undecodable bytes of the decompressed file, or None if it all decodes."""
    from pypeline_files.compression import open_binary_input

    decoder = codecs.getincrementaldecoder(encoding)("strict")
    offset = lines = 0
    with open_binary_input(location, "csv_source") as raw:
        while True:
            chunk = bytes(raw.read(_CHUNK))
            state = decoder.getstate()
            try:
                lines += decoder.decode(chunk, final=not chunk).count("\n")
            except UnicodeDecodeError as err:
                # err.start counts from the bytes the decoder kept back from the last chunk
                pending = len(state[0])
                decoder.setstate(state)
                before = decoder.decode(chunk[: max(0, err.start - pending)])
                value = bytes(err.object[err.start : err.end])
                return BadByte(lines + before.count("\n") + 1, offset - pending + err.start, value)
            if not chunk:
                return None
            offset += len(chunk)


def _hint(encoding: str, value: bytes) -> str:
    """What to set: cp1252 for bytes 0x80-0x9f (Windows' smart quotes, €), else latin-1."""
    if codecs.lookup(encoding).name not in ("utf-8", "utf-8-sig"):
        return f" (is the file {encoding}? set `encoding` to the one it was written in)"
    guess = "cp1252" if any(0x80 <= byte <= 0x9F for byte in value) else "latin-1"
    return f" (the file is not UTF-8: set encoding: {guess}, or the encoding it was written in)"
