"""The column types a CSV read forces, learnt from the file's first block.

pyarrow infers date32 and time32 from text that pandas.read_csv leaves as text; to read the same
types as pandas, those columns are forced to ``string``, and so are the user's ``dtypes``
(their values are then converted by ``csv_convert``, or by pyarrow while it parses). The first
block is what ``pyarrow.csv.open_csv`` would infer from; it is read synchronously here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pypeline_files.csv_arrow_options import (
    NO_TIMESTAMPS,
    RejectCollector,
    open_source,
    parse_options,
    read_options,
)

if TYPE_CHECKING:
    import pyarrow as pa

    from pypeline_files.csv_format import CsvFormat
    from pypeline_files.paths import Location

_ARROW_TYPES = {"str": "string", "int": "int64", "float": "float64"}
#: Read as text, parsed afterwards (``csv_convert``): pyarrow's own rules differ from ours.
_AS_TEXT = ("datetime", "bool")
#: How much of the file type inference looks at: pyarrow's default block size.
_PEEK_BYTES = 1 << 20


def column_types(location: Location, fmt: CsvFormat) -> tuple[dict[str, pa.DataType], bool]:
    """Forced types: the user's ``dtypes``, plus ``string`` for columns pyarrow would read as
    dates or times; and whether the first block holds the quote character (``csv_whole_read``).
    Infers from the first block only, as ``open_csv`` would; but a synchronous read of those
    bytes leaves no read-ahead task behind holding our Python row handler, which (seen with
    ``open_csv``) can abort the interpreter at exit."""
    import pyarrow as pa
    import pyarrow.csv as pv

    convert = pv.ConvertOptions(strings_can_be_null=True, timestamp_parsers=NO_TIMESTAMPS)
    with open_source(location) as source:
        sample = _first_block(source, fmt.encoding)
    schema = pv.read_csv(
        pa.BufferReader(sample),
        read_options=read_options(fmt, use_threads=False),
        parse_options=parse_options(fmt, RejectCollector()),
        convert_options=convert,
    ).schema
    unknown = [name for name in fmt.dtypes if name not in schema.names]
    if unknown:
        raise ValueError(
            f"csv_source: dtypes names columns not in {location.given}: {', '.join(unknown)} "
            f"(columns: {', '.join(schema.names)})"
        )
    types: dict[str, pa.DataType] = {
        field.name: pa.string() for field in schema if pa.types.is_temporal(field.type)
    }
    for name, kind in fmt.dtypes.items():
        types[name] = pa.string() if kind in _AS_TEXT else getattr(pa, _ARROW_TYPES[kind])()
    return types, fmt.quotechar in sample.decode(fmt.encoding, "ignore")


def _first_block(source: Any, encoding: str) -> bytes:
    """The first MiB of the (decompressed) file, cut after its last line break (at a whole
    code unit for UTF-16 and UTF-32)."""
    import codecs

    import pyarrow as pa

    if isinstance(source, str):
        with pa.input_stream(source) as stream:
            data = stream.read(_PEEK_BYTES)
    else:
        chunks, size = [], 0
        while size < _PEEK_BYTES and (chunk := source.read(_PEEK_BYTES - size)):
            chunks.append(bytes(chunk))
            size += len(chunk)
        data = b"".join(chunks)
    cut = max(data.rfind(b"\n"), data.rfind(b"\r"))
    if len(data) < _PEEK_BYTES or cut < 0:
        return bytes(data)
    name = codecs.lookup(encoding).name
    width = 4 if "32" in name else 2 if "16" in name else 1
    return bytes(data[: (cut // width + 1) * width])
