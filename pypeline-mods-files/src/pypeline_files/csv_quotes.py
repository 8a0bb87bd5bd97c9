"""A quote that is opened and never closed: found and named, never swallowed in silence.

An unclosed quote makes every parser read the rest of the file as one value. pyarrow says
nothing: the last row gets a value of thousands of lines (or a reject of them, if fields are
then missing), and the rows after the quote are gone. pandas' parser (dask mode) stops with
"EOF inside string". Either way the user needs the line where the quote opened.

Because the open value runs to the end of the file, only the *last* record can hold it, and
the sign is cheap to check after a pandas-mode read: the last row's last value, written back
in CSV (quote, value with doubled quotes), is exactly how the file ends. That costs a read of
the file's tail when the value holds a line break (something was swallowed) or the file is not
compressed (a seek); a compressed file whose last line opens a quote and ends without a line
break is read as that line's value (nothing after it is lost). A reject whose text ends inside
quotes is the same case, with fields missing. Only then is the file walked, with Python's csv
reader, to name the line where that record starts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

    from pypeline_files.csv_format import CsvFormat
    from pypeline_files.csv_line_numbers import Reject
    from pypeline_files.paths import Location

_BREAKS = ("\n", "\r")


def check_quotes_closed(
    location: Location, fmt: CsvFormat, table: pa.Table, rejects: list[Reject]
) -> None:
    """Raise the located error if the file ends inside a quoted value (see the module doc)."""
    for line, text, _ in rejects:
        if ends_inside_quotes(text, fmt):
            raise unclosed_quote_error(location, fmt, line)
    if _last_value_open(location, fmt, table):
        raise unclosed_quote_error(location, fmt)


def unclosed_quote_error(location: Location, fmt: CsvFormat, line: int | None = None) -> ValueError:
    """The error naming the line where the never-closed quoted value starts (found by a walk
    through the file when not given)."""
    line = line or unclosed_quote_line(location, fmt)
    where = f"line {line}: " if line else ""
    return ValueError(
        f"csv_source: cannot read {location.given}: {where}a quoted value ({fmt.quotechar}) "
        "opens here and is never closed, so the rest of the file would be read as one value "
        "(close the quote, or set quotechar to a character the file does not use)"
    )


def unclosed_quote_line(location: Location, fmt: CsvFormat) -> int | None:
    """The first line of the record that ends inside quotes (the last one), or None."""
    from pypeline_files.csv_row_lines import open_records

    last: tuple[list[str], int] = ([], 0)
    with open_records(location, fmt) as records:
        for _, lines, first_line in records:
            last = (lines, first_line)
    lines, first_line = last
    return first_line if lines and ends_inside_quotes("".join(lines), fmt) else None


def ends_inside_quotes(text: str, fmt: CsvFormat) -> bool:
    """Whether a record's text ends inside a quoted value. A quote opens a value only at the
    start of a field (elsewhere it is a character of the value); the next lone quote closes
    it, and a doubled one stands for a quote inside."""
    quote = fmt.quotechar
    starts = (fmt.delimiter, *_BREAKS)
    at = 0
    while (opening := text.find(quote, at)) >= 0:
        at = opening + 1
        if opening and text[opening - 1] not in starts:
            continue  # a literal quote inside an unquoted value
        while True:
            closing = text.find(quote, at)
            if closing < 0:
                return True
            if text.startswith(quote * 2, closing):
                at = closing + 2
                continue
            at = closing + 1
            break
    return False


def _last_value_open(location: Location, fmt: CsvFormat, table: pa.Table) -> bool:
    """Whether the file ends with the last row's last value as an unclosed quoted value."""
    import pyarrow as pa

    from pypeline_files.compression import codec_of

    if not table.num_rows or not pa.types.is_string(table.schema.types[-1]):
        return False
    value = table.column(table.num_columns - 1)[-1].as_py()
    if value is None or (codec_of(location.path) and not any(b in value for b in _BREAKS)):
        return False
    written = fmt.quotechar + value.replace(fmt.quotechar, fmt.quotechar * 2)
    # 4 bytes a character at most, and a multiple of 4 keeps UTF-16 and UTF-32 aligned
    tail = _tail(location, 4 * len(written) + 16).decode(fmt.encoding, "replace")
    if not tail.endswith(written):
        return False
    before = tail[: -len(written)]
    return not before or before.endswith((fmt.delimiter, *_BREAKS))


def _tail(location: Location, size: int) -> bytes:
    """The last ``size`` bytes of the decompressed file: a seek for a plain file, a pass
    through the decompressor otherwise."""
    from pypeline_files.compression import codec_of, open_binary_input

    if codec_of(location.path) is None:
        with location.fs.open(location.path, "rb") as handle:
            length = int(location.fs.size(location.path) or 0)
            handle.seek(max(0, length - size))
            return bytes(handle.read())
    kept = b""
    with open_binary_input(location, "csv_source") as raw:
        while chunk := raw.read(1 << 20):
            kept = (kept + bytes(chunk))[-size:]
    return kept
