"""Dask-mode CSV reading: a lazy ``dask.dataframe.read_csv`` with the same columns and types.

Nothing is parsed here beyond the sample Dask reads to learn the columns; the rows are read when
a sink computes. Line-level rejects need one parser walking the whole file in order, which is
exactly what Dask avoids, so lines with too many fields are skipped (pandas' rules: a line with
too few fields is padded with nulls) and ``csv_source`` warns that rejects are a pandas-mode
feature.

Types follow the pandas-mode reader: text columns get pandas' default ``str`` dtype rather than
Dask's ``string[pyarrow]`` conversion, ``datetime`` columns are parsed per partition with
``pandas.to_datetime``, and header-less columns are named f0, f1, ...
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pypeline_files.csv_format import PANDAS_DTYPES, CsvFormat

if TYPE_CHECKING:
    import dask.dataframe as dd
    import pandas as pd

    from pypeline_files.paths import Location


def read_csv_dask(location: Location, fmt: CsvFormat) -> dd.DataFrame:
    """A lazy Dask frame over the file (reads only Dask's type-inference sample now)."""
    import dask
    import dask.dataframe as dd

    from pypeline_files.compression import fsspec_codec
    from pypeline_files.csv_guards import dask_read_error

    generated = not fmt.header and not fmt.column_names
    dtypes: dict[str | int, str] = {}
    for name, kind in fmt.dtypes.items():
        # Header-less columns are numbered by pandas until renamed; datetimes are read as text.
        column = _generated_index(name) if generated else name
        if column is not None:
            dtypes[column] = PANDAS_DTYPES.get(kind, "str")
    options: dict[str, Any] = {
        "sep": fmt.delimiter,
        "quotechar": fmt.quotechar,
        "encoding": fmt.encoding,
        "skiprows": fmt.skip_rows or None,
        "header": 0 if fmt.header else None,
        "on_bad_lines": "skip",
        "dtype": dtypes or None,
    }
    if fmt.column_names:
        options["names"] = list(fmt.column_names)
    codec = fsspec_codec(location, "csv_source")
    if codec:  # a compressed file cannot be split into blocks
        options.update(compression=codec, blocksize=None)
    frame: dd.DataFrame  # Dask's API is untyped; the names say what the values are.
    with dask.config.set({"dataframe.convert-string": False}):
        try:
            frame = dd.read_csv(location.url, **options)
        except ValueError as err:  # Dask parses a sample now: a bad value may show already
            raise dask_read_error(location, fmt, err) from err
    if generated:
        frame = frame.rename(columns={i: fmt.generated_name(i) for i in range(len(frame.columns))})
    unknown = [name for name in fmt.dtypes if name not in frame.columns]
    if unknown:
        raise ValueError(
            f"csv_source: dtypes names columns not in {location.given}: {', '.join(unknown)} "
            f"(columns: {', '.join(map(str, frame.columns))})"
        )
    for name in fmt.datetime_columns:
        frame[name] = dd.to_datetime(frame[name])
    for name in fmt.bool_columns:
        frame[name] = frame[name].map_partitions(_bools, name, meta=(name, "bool"))
    return frame


def _bools(text: pd.Series, name: str) -> pd.Series:
    """One partition's ``bool`` column by the shared spellings, typed as pandas mode types it
    (``bool``, or ``object`` holding None when there are nulls); a value that is not one fails
    the read, as other conversions do in dask mode."""
    from pypeline.sdk.values import parse_bool

    values, failed = parse_bool(text)
    if failed.any():
        raise ValueError(f"column {name!r}: cannot convert {text[failed].iloc[0]!r} to bool")
    if values.isna().any():
        return values.astype(object).where(values.notna(), None)
    return values.astype(bool)


def count_rows(frame: dd.DataFrame) -> int:
    """Rows of a lazy frame. Costs one parse of the file (partition lengths only, no rows kept
    in memory); ``csv_source`` pays it so that ``row_count`` means the same in both modes."""
    lazy: Any = frame  # Dask's map_partitions is untyped
    return int(lazy.map_partitions(len).compute().sum())


def count_csv_rows(frame: dd.DataFrame, location: Location, fmt: CsvFormat) -> int:
    """``count_rows`` of a CSV file's frame: being a whole parse, it is where bad bytes or an
    unclosed quote show in dask mode, and they fail here, named (``csv_guards``), not in a
    sink."""
    from pypeline_files.csv_guards import dask_read_error

    try:
        return count_rows(frame)
    except ValueError as err:
        raise dask_read_error(location, fmt, err) from err


def _generated_index(name: str) -> int | None:
    """``"f3"`` → 3 (the column number pandas uses before we rename it); else None."""
    if name.startswith("f") and name[1:].isdigit():
        return int(name[1:])
    return None
