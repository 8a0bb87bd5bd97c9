"""Parsing ``func(column)`` and computing grouped aggregations on pandas or Dask frames.

``aggregate_mod``'s worker. Pandas does each aggregation with one ``groupby().agg`` of named
aggregations. Dask does the same except ``count_distinct``, which its ``agg`` lacks and whose
``nunique`` drops the null group; it is counted as the distinct (group, value) pairs instead.
Both modes end in ``finish``, which gives one row per group, the keys first, sorted by the keys
with nulls last, and one row of totals when there is no ``group_by`` even for an empty input,
as SQL does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

#: What users write → pandas' name for it.
FUNCTIONS = {
    "count": "count",
    "sum": "sum",
    "mean": "mean",
    "min": "min",
    "max": "max",
    "first": "first",
    "last": "last",
    "count_distinct": "nunique",
}
_CALL = re.compile(r"^\s*(\w+)\s*\(\s*(\*|`[^`]+`|[^()`]*?)\s*\)\s*$")
_ALL = "__all_rows"


@dataclass(frozen=True)
class Aggregation:
    """One output column: ``func`` over ``column`` (``None`` for ``count(*)``)."""

    output: str
    func: str
    column: str | None

    @property
    def pandas_func(self) -> str:
        return "size" if self.column is None else FUNCTIONS[self.func]


def parse(output: str, text: str) -> Aggregation:
    """``sum(amount)``, ``count(*)``, ``count_distinct(`customer id`)``; ValueError otherwise."""
    match = _CALL.match(text)
    if not match or not match.group(2):
        raise ValueError(f"{text!r} is not func(column), e.g. sum(amount) or count(*)")
    func, column = match.group(1).lower(), match.group(2).strip("`")
    if func not in FUNCTIONS:
        raise ValueError(f"unknown function {func!r} (functions: {', '.join(FUNCTIONS)})")
    if column == "*":
        if func != "count":
            raise ValueError(f"only count takes *, not {func}")
        return Aggregation(output, func, None)
    return Aggregation(output, func, column)


def aggregate(frame: Any, keys: list[str], specs: list[Aggregation]) -> Any:
    """The aggregated frame; Dask when ``frame`` is Dask (a lazy, one-partition result)."""
    grand_total = not keys
    if grand_total:
        frame, keys = frame.assign(**{_ALL: 0}), [_ALL]
    named = {s.output: (s.column or keys[0], s.pandas_func) for s in specs}
    if not hasattr(frame, "map_partitions"):
        grouped = frame.groupby(keys, dropna=False, sort=False).agg(**named)
        return finish(grouped, keys, specs, grand_total)
    import dask.dataframe as dd

    distinct = [s for s in specs if s.func == "count_distinct"]
    rest = {k: v for k, v in named.items() if k not in {s.output for s in distinct}}
    placeholder = {"__group_rows": (keys[0], "size")}  # agg needs one aggregation
    grouped = frame.groupby(keys, dropna=False).agg(split_out=1, **(rest or placeholder))
    counts = [_distinct_counts(frame, keys, s) for s in distinct]
    meta = finish(grouped._meta, keys, specs, False, *(c._meta for c in counts))
    meta = meta[[s.output for s in specs]] if grand_total else meta
    map_partitions: Any = dd.map_partitions  # dask leaves it unannotated
    return map_partitions(  # every piece is one partition: finish sees whole results
        finish, grouped, keys, specs, grand_total, *counts, meta=meta, align_dataframes=False
    )


def _distinct_counts(frame: Any, keys: list[str], spec: Aggregation) -> Any:
    pairs = frame[[*keys, spec.column]].dropna(subset=[spec.column]).drop_duplicates()
    return pairs.groupby(keys, dropna=False).size(split_out=1).rename(spec.output)


def finish(
    grouped: pd.DataFrame,
    keys: list[str],
    specs: list[Aggregation],
    grand_total: bool,
    *counts: pd.Series,
) -> pd.DataFrame:
    """Keys as columns, outputs in the order given, sorted by key; totals for no ``group_by``."""
    import pandas as pd

    for count in counts:  # Dask's count_distinct: groups with only nulls have no pair
        grouped = grouped.join(count, how="left")
        grouped[count.name] = grouped[count.name].fillna(0).astype("int64")
    table = grouped.reset_index()
    if grand_total:
        if table.empty:
            zero = ("count", "count_distinct")
            return pd.DataFrame({s.output: [0 if s.func in zero else None] for s in specs})
        return table[[s.output for s in specs]].reset_index(drop=True)
    table = table.sort_values(keys, na_position="last", kind="stable", ignore_index=True)
    return table[[*keys, *(s.output for s in specs)]]
