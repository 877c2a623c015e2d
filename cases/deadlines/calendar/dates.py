"""The calendar's days: which days a month or a week shows, and where those days begin and end in UTC.

Pure date arithmetic (no ORM). Weeks run Monday to Sunday, as ISO 8601 weeks do (``?week=2026-W50``). A day is a
day of the person's zone: it starts at local midnight, so the instants it covers shift with DST.
"""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")
WEEK_PATTERN = re.compile(r"^(\d{4})-W(\d{2})$")
FIRST_YEAR, LAST_YEAR = 1900, 2999


@dataclass(frozen=True)
class Span:
    """Consecutive days, ``first`` to ``last`` included."""

    first: date
    last: date

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=offset) for offset in range((self.last - self.first).days + 1)]

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """The UTC instants the span covers in ``zone``: local midnight of the first day, up to (not including) local
        midnight after the last."""
        start = datetime.combine(self.first, time.min, tzinfo=zone)
        end = datetime.combine(self.last + timedelta(days=1), time.min, tzinfo=zone)
        return start.astimezone(UTC), end.astimezone(UTC)


def parse_month(value: str) -> date:
    """``2026-12`` -> 1 December 2026; ``ValueError`` for anything else."""
    match = MONTH_PATTERN.match(value or "")
    if not match:
        raise ValueError(value)
    year, month = int(match[1]), int(match[2])
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(value)
    return date(year, month, 1)


def parse_week(value: str) -> date:
    """``2026-W50`` -> the Monday of ISO week 50 of 2026; ``ValueError`` for anything else (a week 53 the year lacks
    too)."""
    match = WEEK_PATTERN.match(value or "")
    if not match:
        raise ValueError(value)
    year = int(match[1])
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(value)
    return date.fromisocalendar(year, int(match[2]), 1)


def parse_day(value: str) -> date:
    """``2026-12-15`` -> that date; ``ValueError`` for anything else."""
    day = date.fromisoformat(value or "")
    if not FIRST_YEAR <= day.year <= LAST_YEAR or len(value) != len("2026-12-15"):
        raise ValueError(value)
    return day


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def week_key(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def add_month(first_of_month: date, months: int) -> date:
    index = first_of_month.year * 12 + first_of_month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_span(day: date) -> Span:
    """The Monday-to-Sunday week holding ``day``."""
    monday = monday_of(day)
    return Span(monday, monday + timedelta(days=6))


def month_grid(first_of_month: date) -> Span:
    """The whole weeks a month's grid shows: from the Monday on or before the 1st to the Sunday on or after the last
    day (28 to 42 days)."""
    last_of_month = add_month(first_of_month, 1) - timedelta(days=1)
    return Span(monday_of(first_of_month), monday_of(last_of_month) + timedelta(days=6))
