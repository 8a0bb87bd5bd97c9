"""Dates and instants (SPEC §3): parts, differences, shifts and the run's clock.

Dates are pandas ``datetime64`` values at midnight, instants ``datetime64`` without a time
zone (a value with a UTC offset is converted to UTC): ``to_date`` and ``to_datetime`` give them,
and the other functions take them, or text they read as ``to_datetime`` does (a text that is not
a date gives null and is counted), or the ``datetime.date`` values a database driver returns.
``today()`` and ``now()`` are the run's one instant (local time), the same in every module,
partition and call of a run. On 1M rows, ``to_date`` of ISO text takes 0.34 s (pandas'
``to_datetime`` alone: 0.27 s; the rest is the offsets' conversion to UTC), ``year`` 18 ms.
"""

from __future__ import annotations

from typing import Any

from pypeline.expressions.library.arrays import literals
from pypeline.sdk.functions import ExpressionFunction, FunctionContext

_NULL = "a null gives null; a text that is not a date gives null and is counted"
_COUNTED = "a null gives null; a value that cannot be read gives null and is counted"
_UNIT = "datetime64[us]"  # pandas' own for parsed text; one unit whatever the values


def _format(format: Any) -> Any:
    if format is not None and not isinstance(format, str):
        raise ValueError(f"format must be text such as '%d/%m/%Y', not {format!r}")
    return format


def instants(fctx: FunctionContext, x: Any, format: Any = None) -> Any:
    """``x`` as ``datetime64``: date columns as they are; text (and ``datetime.date`` objects)
    parsed with the strftime ``format``, or as ISO 8601 (2024-01-31, 2024-01-31T08:30:00,
    with an optional offset) without one."""
    import pandas as pd

    from pypeline.expressions.library.arrays import text_series

    _format(format)
    series = fctx.series(x)
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return series
    readable = series if str(series.dtype) == "object" else text_series(fctx, series)
    parsed = pd.to_datetime(readable, format=format or "ISO8601", errors="coerce", utc=True)
    fctx.count_nulled(int((parsed.isna() & series.notna()).sum()))
    return parsed.dt.tz_convert(None).astype(_UNIT)


def _to_date(fctx: FunctionContext, s: Any, format: Any = None) -> Any:
    return instants(fctx, s, format).dt.normalize()


def _part(attribute: str) -> Any:
    def part(fctx: FunctionContext, d: Any) -> Any:
        return getattr(instants(fctx, d).dt, attribute).astype("Int64")

    return part


def _date_diff_days(fctx: FunctionContext, a: Any, b: Any) -> Any:
    """Calendar days: the times of day are ignored, as SQL's ``DATEDIFF``."""
    days = instants(fctx, a).dt.normalize() - instants(fctx, b).dt.normalize()
    return days.dt.days.astype("Int64")


def _add_days(fctx: FunctionContext, d: Any, n: Any) -> Any:
    import pandas as pd

    dates = instants(fctx, d)
    count = pd.to_numeric(fctx.series(n), errors="raise").astype("float64")
    return (dates + pd.to_timedelta(count, unit="D")).astype(dates.dtype)


def _today(fctx: FunctionContext) -> Any:
    import pandas as pd

    midnight = pd.Timestamp(fctx.now).normalize()
    return pd.Series(midnight, index=fctx.index).astype(_UNIT)


def _now(fctx: FunctionContext) -> Any:
    import pandas as pd

    return pd.Series(pd.Timestamp(fctx.now), index=fctx.index).astype(_UNIT)


def _parts(name: str, what: str, example: str) -> ExpressionFunction:
    attribute = "day_of_week" if name == "weekday" else name  # Monday 0, as pandas and Python
    return ExpressionFunction(
        name, ("d",), _part(attribute),
        f"The {what} of the date d, as a whole number.",
        group="dates", nulls=_NULL, counts_nulled=True, examples=(example,),
    )  # fmt: skip


FUNCTIONS = (
    ExpressionFunction(
        "to_date", ("s", "format"), _to_date,
        "s as a date (at midnight): text read with the strftime format ('%d/%m/%Y'), or as "
        "ISO 8601 (2024-01-31) without one; a date or instant column keeps only its date.",
        group="conversion", nulls=_COUNTED, optional=1, literal=("format",),
        check=literals(format=_format),
        counts_nulled=True, examples=("to_date(signup, '%d/%m/%Y')",),
    ),
    ExpressionFunction(
        "to_datetime", ("s", "format"), instants,
        "s as an instant: text read with the strftime format ('%Y-%m-%d %H:%M'), or as "
        "ISO 8601 (2024-01-31T08:30:00, an offset converted to UTC) without one.",
        group="conversion", nulls=_COUNTED, optional=1, literal=("format",),
        check=literals(format=_format),
        counts_nulled=True, examples=("to_datetime(created_at)",),
    ),
    _parts("year", "year", "year(order_date) == 2024"),
    _parts("month", "month (1 to 12)", "month(order_date)"),
    _parts("day", "day of the month (1 to 31)", "day(order_date)"),
    _parts("weekday", "day of the week (Monday 0 to Sunday 6)", "weekday(d) < 5"),
    ExpressionFunction(
        "date_diff_days", ("a", "b"), _date_diff_days,
        "The calendar days from b to a (a - b; negative when a is earlier), times of day "
        "ignored.", group="dates", nulls=_NULL, counts_nulled=True,
        examples=("date_diff_days(today(), signup)",),
    ),
    ExpressionFunction(
        "add_days", ("d", "n"), _add_days,
        "The date or instant d moved by n days (n negative: earlier).",
        group="dates", nulls="a null d or n gives null; a text d that is not a date gives "
        "null and is counted", counts_nulled=True, examples=("add_days(order_date, 30)",),
    ),
    ExpressionFunction(
        "today", (), _today, "The date the run started (local time), the same for the whole run.",
        group="dates", nulls="never null",
    ),
    ExpressionFunction(
        "now", (), _now,
        "The instant the run started (local time), the same for every module of the run.",
        group="dates", nulls="never null",
    ),
)  # fmt: skip
