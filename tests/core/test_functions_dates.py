"""Dates in flows: reading them, their parts, differences, shifts, the run's clock."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from pypeline.modules.mods.compute_mod import ComputeMod
from pypeline.testing import run_module

from .function_runs import column, computed, failure, nulled

DAY = pd.Timestamp


def test_to_date_reads_iso_or_a_strftime_format_and_counts_the_rest() -> None:
    frame = pd.DataFrame(
        {"s": ["2024-01-31", "2024-02-30", None, "", "31/01/2024", "2024-03-01T10:30"]}
    )
    assert column(frame, "to_date(s)") == [DAY("2024-01-31"), None, None, None, None,
                                           DAY("2024-03-01")]  # fmt: skip
    assert nulled(frame, out="to_date(s)") == 3
    assert column(frame, "to_date(s, '%d/%m/%Y')")[4] == DAY("2024-01-31")


def test_to_datetime_keeps_the_time_and_converts_offsets_to_utc() -> None:
    frame = pd.DataFrame({"s": ["2024-01-31T08:30:00", "2024-01-31 08:30+02:00", "soon", None]})
    assert column(frame, "to_datetime(s)") == [DAY("2024-01-31 08:30"), DAY("2024-01-31 06:30"),
                                               None, None]  # fmt: skip
    out = computed(frame, out="to_datetime(s)").frame("output")["out"]
    assert str(out.dtype) == "datetime64[us]"
    fmt = pd.DataFrame({"s": ["31.01.2024 23:59", "x"]})
    assert column(fmt, "to_datetime(s, '%d.%m.%Y %H:%M')") == [DAY("2024-01-31 23:59"), None]


def test_a_bad_format_fails_with_the_reason() -> None:
    frame = pd.DataFrame({"s": ["2024"]})
    assert "bad directive" in failure(frame, "to_date(s, '%Q')")
    assert "'format' must be a literal" in failure(frame, "to_date(s, s)")


def test_parts_of_dates_text_and_database_dates() -> None:
    frame = pd.DataFrame({"d": pd.to_datetime(["2024-02-29 13:00", None, "2026-12-06 00:00"])})
    assert column(frame, "year(d)") == [2024, None, 2026]
    assert column(frame, "month(d)") == [2, None, 12]
    assert column(frame, "day(d)") == [29, None, 6]
    assert column(frame, "weekday(d)") == [3, None, 6]  # Thursday; Sunday; Monday is 0
    text = pd.DataFrame({"d": ["2024-05-01", "May 1st", None]})
    assert column(text, "year(d)") == [2024, None, None]
    assert nulled(text, out="year(d)") == 1
    driver = pd.DataFrame({"d": pd.Series([dt.date(2023, 7, 14), None], dtype=object)})
    assert column(driver, "month(d)") == [7, None]


def test_date_diff_days_counts_calendar_days_from_b_to_a() -> None:
    frame = pd.DataFrame(
        {
            "a": pd.to_datetime(["2024-03-01 00:10", "2024-01-01 00:00", None]),
            "b": pd.to_datetime(["2024-02-28 23:50", "2024-01-31 00:00", "2024-01-01 00:00"]),
        }
    )
    assert column(frame, "date_diff_days(a, b)") == [2, -30, None]
    assert column(frame, "date_diff_days(a, '2024-02-01')") == [29, -31, None]


def test_add_days_moves_dates_and_keeps_nulls() -> None:
    frame = pd.DataFrame(
        {"d": pd.to_datetime(["2024-02-28", None, "2024-12-31"]), "n": [1, 2, None]}
    )
    assert column(frame, "add_days(d, 1)") == [DAY("2024-02-29"), None, DAY("2025-01-01")]
    assert column(frame, "add_days(d, n)") == [DAY("2024-02-29"), None, None]
    assert column(frame, "add_days(d, -365)")[2] == DAY("2024-01-01")


def test_today_and_now_are_one_instant_for_the_whole_run() -> None:
    frame = pd.DataFrame({"x": range(10)})
    config = {"expressions": {"t": "now()", "d": "today()", "later": "now()"}}
    for mode in ("pandas", "dask"):
        out = run_module(ComputeMod, config, {"input": frame}, mode, partitions=3).frame("output")
        assert out["t"].nunique() == 1 and (out["t"] == out["later"]).all()
        assert (out["d"] == out["t"].dt.normalize()).all()
        assert abs(out["t"][0] - pd.Timestamp.now()) < pd.Timedelta(minutes=5)
    assert column(frame, "date_diff_days(today(), add_days(today(), -3))") == [3] * 10
