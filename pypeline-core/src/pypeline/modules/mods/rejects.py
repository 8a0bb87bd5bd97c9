"""What a ``reject`` port carries: the rejected rows' own columns plus ``error_message`` (SPEC §3).

Shared by the transforms that reject rows, so every reject port has the same shape: a port with
nothing to reject is still a frame with the input's columns and an empty ``error_message``, so
a sink connected to it writes a file with a header rather than failing on a missing column.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

REASON = "error_message"


def with_reasons(rows: Any, reasons: Any) -> Any:
    """``rows`` (pandas or Dask) with ``error_message`` set from ``reasons`` (text or Series);
    an ``error_message`` the rows already had (from an earlier reject) is replaced."""
    return rows.drop(columns=[REASON], errors="ignore").assign(**{REASON: reasons})


def no_rows(frame: Any) -> pd.DataFrame:
    """An empty reject frame shaped like ``frame``'s rows; for Dask, from its metadata only."""
    import pandas as pd

    empty = frame._meta if hasattr(frame, "_meta") else frame.iloc[:0]
    return with_reasons(empty, pd.Series(index=empty.index, dtype="string"))
