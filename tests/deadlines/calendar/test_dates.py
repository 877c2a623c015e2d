"""The calendar's day arithmetic: month grids of whole weeks, ISO weeks, and local days as UTC instants across DST."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from cases.deadlines.calendar.dates import (
    Span,
    add_month,
    month_grid,
    parse_day,
    parse_month,
    parse_week,
    week_key,
    week_span,
)


@pytest.mark.parametrize(
    ("month", "first", "last", "days"),
    [
        (date(2027, 3, 1), date(2027, 3, 1), date(2027, 4, 4), 35),  # starts on a Monday
        (date(2027, 2, 1), date(2027, 2, 1), date(2027, 2, 28), 28),  # four whole weeks exactly
        (date(2026, 8, 1), date(2026, 7, 27), date(2026, 9, 6), 42),  # a Saturday the 1st: six weeks
        (date(2026, 12, 1), date(2026, 11, 30), date(2027, 1, 3), 35),
    ],
)
def test_a_months_grid_is_whole_weeks_from_monday(month, first, last, days):
    grid = month_grid(month)
    assert (grid.first, grid.last, len(grid.days)) == (first, last, days)
    assert grid.first.weekday() == 0 and grid.last.weekday() == 6


def test_months_add_across_years():
    assert add_month(date(2026, 12, 1), 1) == date(2027, 1, 1)
    assert add_month(date(2027, 1, 1), -1) == date(2026, 12, 1)
    assert add_month(date(2027, 1, 1), -13) == date(2025, 12, 1)


def test_iso_weeks_round_trip_and_span_monday_to_sunday():
    assert parse_week("2027-W11") == date(2027, 3, 15)
    assert week_key(date(2027, 1, 1)) == "2026-W53"  # a Friday: it belongs to the last week of 2026
    assert week_span(date(2027, 3, 21)) == Span(date(2027, 3, 15), date(2027, 3, 21))


@pytest.mark.parametrize("value", ["", "2027", "2027-00", "2027-13", "27-03", "2027-3", "0999-01", "2027-03-01"])
def test_unreadable_months_are_refused(value):
    with pytest.raises(ValueError):
        parse_month(value)


@pytest.mark.parametrize("value", ["2027-W00", "2027-W54", "2026-W54", "2027W11", "2027-w11", "2027-11"])
def test_unreadable_weeks_are_refused(value):
    with pytest.raises(ValueError):
        parse_week(value)


@pytest.mark.parametrize("value", ["2027-02-29", "2027-3-1", "20270301", "", "tomorrow"])
def test_unreadable_days_are_refused(value):
    with pytest.raises(ValueError):
        parse_day(value)


def test_a_local_day_is_23_hours_long_when_the_clocks_go_forward_in_madrid():
    start, end = Span(date(2027, 3, 28), date(2027, 3, 28)).bounds(ZoneInfo("Europe/Madrid"))
    assert start == datetime(2027, 3, 27, 23, 0, tzinfo=UTC)
    assert end == datetime(2027, 3, 28, 22, 0, tzinfo=UTC)


def test_a_local_day_in_bangkok_starts_at_17_utc_the_day_before():
    start, end = Span(date(2027, 3, 15), date(2027, 3, 15)).bounds(ZoneInfo("Asia/Bangkok"))
    assert (start, end) == (datetime(2027, 3, 14, 17, 0, tzinfo=UTC), datetime(2027, 3, 15, 17, 0, tzinfo=UTC))
