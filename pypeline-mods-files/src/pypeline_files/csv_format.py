"""The CSV dialect and schema hints of ``csv_source``, read once from its config.

Both readers (pyarrow in pandas mode, Dask in dask mode) take the same ``CsvFormat`` so that a
flow reads the same columns with the same types whichever ``execution_mode`` it runs in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Accepted ``dtypes`` type names (and aliases) → canonical name.
TYPE_NAMES = {
    "str": "str",
    "string": "str",
    "int": "int",
    "integer": "int",
    "float": "float",
    "bool": "bool",
    "boolean": "bool",
    "datetime": "datetime",
}

#: Canonical type → pandas dtype for Dask's ``read_csv``; ``datetime`` and ``bool`` columns are
#: read as text and parsed per partition, as pandas mode does.
PANDAS_DTYPES = {"str": "str", "int": "int64", "float": "float64"}


@dataclass(frozen=True)
class CsvFormat:
    """How to cut a CSV file into rows and columns, and which types to force."""

    delimiter: str = ","
    quotechar: str = '"'
    encoding: str = "utf-8"
    header: bool = True
    skip_rows: int = 0
    column_names: tuple[str, ...] = ()
    #: column → canonical type name (``str``, ``int``, ``float``, ``bool``, ``datetime``).
    dtypes: dict[str, str] = field(default_factory=dict)
    #: pyarrow's block size in bytes: a row must fit in one. Not an option: ``csv_guards``
    #: grows it for a file whose rows are longer.
    block_size: int = 1 << 20

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> CsvFormat:
        """Build from ``self.config`` (defaults applied, already checked by ``check_config``)."""
        return cls(
            delimiter=str(config.get("delimiter", ",")),
            quotechar=str(config.get("quotechar", '"')),
            encoding=str(config.get("encoding", "utf-8")),
            header=bool(config.get("header", True)),
            skip_rows=int(config.get("skip_rows", 0)),
            column_names=tuple(config.get("column_names") or ()),
            dtypes={str(k): TYPE_NAMES[str(v).lower()] for k, v in _dtypes(config).items()},
        )

    @property
    def datetime_columns(self) -> list[str]:
        """Columns read as text and parsed by pandas, so both modes accept the same formats."""
        return [name for name, kind in self.dtypes.items() if kind == "datetime"]

    @property
    def bool_columns(self) -> list[str]:
        """Columns read as text and parsed by ``pypeline.sdk.values.parse_bool``."""
        return [name for name, kind in self.dtypes.items() if kind == "bool"]

    def generated_name(self, index: int) -> str:
        """Name of column ``index`` of a header-less file without ``column_names``: f0, f1, ...

        pyarrow's convention; valid identifiers, so filter expressions can use them.
        """
        return f"f{index}"


def check_dtypes(config: dict[str, Any]) -> list[tuple[str, str]]:
    """``dtypes`` must map column names to known type names."""
    if "dtypes" not in config or config["dtypes"] is None:
        return []
    if not isinstance(config["dtypes"], dict):
        return [("dtypes", f"must map column names to types, got {config['dtypes']!r}")]
    known = ", ".join(sorted(set(TYPE_NAMES.values())))
    return [
        ("dtypes", f"column {name!r}: unknown type {kind!r} (use one of {known})")
        for name, kind in config["dtypes"].items()
        if str(kind).lower() not in TYPE_NAMES
    ]


def _dtypes(config: dict[str, Any]) -> dict[str, Any]:
    value = config.get("dtypes")
    return value if isinstance(value, dict) else {}
