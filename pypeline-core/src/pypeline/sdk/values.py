"""Reading booleans and numbers out of text: the one set of rules for core and packs alike.

``cast_mod``, the expression functions ``to_bool``/``to_number`` and ``csv_source``'s ``bool``
dtype all read values through this module, so a spelling one of them takes, the others take
too (SPEC §3). Every parser is vectorized (``pyarrow.compute`` on the whole column, no Python
loop per row) and returns the parsed values with a mask of the values that did not parse:
what to do with those (fail, null, reject) is the caller's business. A null stays null and is
never a failure; an empty or blank text is not null, it is a value that does not parse.

Booleans (any case, surrounding spaces ignored): ``BOOL_SPELLINGS``.

Numbers (``parse_number``) are read leniently, as exported by spreadsheets and web pages:
spaces anywhere (non-breaking ones too) and currency symbols (any Unicode currency sign:
``$ € £ ¥ ₹`` ...) are dropped; a leading sign; thousands separators (``,`` when ``decimal``
is ``.``; ``.`` when it is ``,``; spaces always) only between groups of exactly three digits,
so ``1,5`` is refused rather than silently read as 15; a ``%`` first or last divides by 100;
a whole value in parentheses is negative, as accountants write it (``(1,234.50)`` is
-1234.5; with a sign inside it is refused); exponents (``1e5``) and ``inf``/``infinity``.
``nan`` is not a number. ``decimal`` applies to text values; numeric columns pass through.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

TRUE_SPELLINGS = ("true", "t", "yes", "y", "1")
FALSE_SPELLINGS = ("false", "f", "no", "n", "0")
#: For module and function docs: exactly what ``parse_bool`` accepts.
BOOL_SPELLINGS = (
    f"{', '.join(TRUE_SPELLINGS)} and {', '.join(FALSE_SPELLINGS)} "
    "(any case, surrounding spaces ignored)"
)
DECIMALS = (".", ",")

_DROPPED = r"[\s\p{Zs}\p{Sc}]+"  # spaces (incl. non-breaking) and currency symbols


def parse_bool(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """``series`` as pandas ``boolean`` and the mask of values that are not a known spelling.

    Booleans pass through; numbers take 1 and 0 only; anything else is read as text."""
    import pandas as pd

    if pd.api.types.is_bool_dtype(series):
        return series.astype("boolean"), _no_failures(series)
    if pd.api.types.is_numeric_dtype(series):
        known = series.isin([0, 1])
        values = (series == 1).where(known).astype("boolean")
        return values, series.notna() & ~known
    values, failed = parse_bool_arrow(_arrow_text(series))
    return (
        pd.Series(
            values.to_pandas(types_mapper={_bool_type(): pd.BooleanDtype()}.get).array,
            index=series.index,
            name=series.name,
        ),
        _mask(failed, series),
    )


def parse_bool_arrow(text: pa.Array | pa.ChunkedArray) -> tuple[pa.Array, pa.Array]:
    """``parse_bool`` on an Arrow string array, for readers that never build pandas: the
    booleans (null where unknown) and the mask of non-null values that are not a spelling."""
    import pyarrow as pa
    import pyarrow.compute as pc

    words = pc.utf8_lower(pc.utf8_trim_whitespace(text))
    true = pc.is_in(words, value_set=pa.array(TRUE_SPELLINGS))
    false = pc.is_in(words, value_set=pa.array(FALSE_SPELLINGS))
    known = pc.or_(true, false)
    values = pc.if_else(known, true, pa.scalar(None, pa.bool_()))
    failed = pc.and_(pc.is_valid(text), pc.invert(pc.fill_null(known, False)))
    return values, failed


def parse_number(series: pd.Series, decimal: str = ".") -> tuple[pd.Series, pd.Series]:
    """``series`` as numbers and the mask of values that are not one (module docstring).

    Values are ``Int64`` when every parsed value is a whole number written without a decimal
    part, exponent or ``%`` (so long ids keep every digit), else ``float64`` (NaN for nulls
    and failures). Booleans become 1.0/0.0 and numbers pass through, as ``pd.to_numeric``."""
    import pandas as pd

    if decimal not in DECIMALS:
        raise ValueError(f"decimal must be one of {', '.join(DECIMALS)}, not {decimal!r}")
    if pd.api.types.is_bool_dtype(series):
        return series.astype("float64"), _no_failures(series)
    if pd.api.types.is_numeric_dtype(series):
        return series, _no_failures(series)
    text = _arrow_text(series)
    values, failed = _numbers(text, decimal)
    index, name = series.index, series.name
    if values.type == _int_type():
        ints = values.to_pandas(types_mapper={_int_type(): pd.Int64Dtype()}.get)
        return pd.Series(ints.array, index=index, name=name), _mask(failed, series)
    floats = values.to_numpy(zero_copy_only=False)
    return pd.Series(floats, index=index, name=name, dtype="float64"), _mask(failed, series)


def _numbers(text: pa.ChunkedArray, decimal: str) -> tuple[pa.Array, pa.Array]:
    """The parsed numbers (int64 or float64 Arrow, null where not parsed) and the failures."""
    import pyarrow as pa
    import pyarrow.compute as pc

    thousands = "," if decimal == "." else "."
    t, d = _escape(thousands), _escape(decimal)
    mantissa = rf"(?:(?:[0-9]{{1,3}}(?:{t}[0-9]{{3}})+|[0-9]+)(?:{d}[0-9]*)?|{d}[0-9]+)"
    grammar = rf"^[+-]?(?:{mantissa}(?:[eE][+-]?[0-9]+)?|(?i:inf(?:inity)?))$"

    s = pc.replace_substring_regex(text, _DROPPED, "")
    # Parentheses and % are rare: their text passes run only when some value has them.
    negative = pc.and_(pc.starts_with(s, "("), pc.ends_with(s, ")"))
    any_negative = pc.any(negative).as_py()
    if any_negative:
        s = pc.if_else(negative, pc.utf8_slice_codeunits(s, 1, -1), s)
    trailing, leading = pc.ends_with(s, "%"), pc.starts_with(s, "%")
    percent = pc.or_(trailing, leading)  # one % is dropped; a second one fails the grammar
    if pc.any(percent).as_py():
        s = pc.if_else(
            trailing,
            pc.utf8_slice_codeunits(s, 0, -1),
            pc.if_else(leading, pc.utf8_slice_codeunits(s, 1, 1 << 30), s),
        )
    valid = pc.fill_null(pc.match_substring_regex(s, grammar), False)
    if any_negative:  # (-5) is refused: a sign inside parentheses says the opposite
        signed = pc.or_(pc.starts_with(s, "-"), pc.starts_with(s, "+"))
        valid = pc.and_(valid, pc.invert(pc.fill_null(pc.and_(negative, signed), False)))
    s = pc.replace_substring(s, thousands, "")
    if decimal != ".":
        s = pc.replace_substring(s, decimal, ".")
    s = pc.if_else(valid, s, pa.scalar(None, pa.string()))
    failed = pc.and_(pc.is_valid(text), pc.invert(valid))
    whole = pc.fill_null(pc.match_substring_regex(s, r"^[+-]?[0-9]+$"), True)
    if pc.all(pc.and_(whole, pc.invert(pc.fill_null(percent, False)))).as_py():
        try:
            ints = pc.cast(s, pa.int64())
            return pc.if_else(negative, pc.negate(ints), ints), failed
        except pa.ArrowInvalid:  # beyond int64: float64 then, as pd.to_numeric does
            pass
    floats = pc.cast(s, pa.float64())
    floats = pc.if_else(negative, pc.negate(floats), floats)
    return pc.if_else(percent, pc.divide(floats, 100.0), floats), failed


def _arrow_text(series: pd.Series) -> pa.ChunkedArray:
    """The column as Arrow strings (zero-copy for pandas' Arrow-backed ``str``)."""
    import pyarrow as pa

    return pa.chunked_array(pa.array(series.astype("string[pyarrow]"))).combine_chunks()


def _mask(failed: pa.Array, like: pd.Series) -> pd.Series:
    import pandas as pd

    return pd.Series(failed.to_numpy(zero_copy_only=False), index=like.index, dtype=bool)


def _no_failures(series: pd.Series) -> pd.Series:
    import pandas as pd

    return pd.Series(False, index=series.index, dtype=bool)


def _escape(char: str) -> str:
    return "\\" + char if char == "." else char


def _int_type() -> Any:
    import pyarrow as pa

    return pa.int64()


def _bool_type() -> Any:
    import pyarrow as pa

    return pa.bool_()
