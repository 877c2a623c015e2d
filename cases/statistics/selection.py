"""What a dashboard shows: a period of whole months, the offices the user may see, and the filters."""

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from paralegals.models import Office


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def months_between(start: date, end: date) -> list[date]:
    """Every first-of-month from ``start`` to ``end`` inclusive."""
    months, month = [], start
    while month <= end:
        months.append(month)
        month = add_months(month, 1)
    return months


@dataclass(frozen=True)
class Selection:
    """``start`` and ``end`` are the first days of the first and last months (inclusive)."""

    start: date
    end: date
    offices: tuple[int, ...]
    country: str = ""
    sector: str = ""
    respondent: int | None = None

    @property
    def start_at(self) -> datetime:
        return datetime(self.start.year, self.start.month, 1, tzinfo=UTC)

    @property
    def end_before(self) -> datetime:
        """The first instant after the period."""
        after = add_months(self.end, 1)
        return datetime(after.year, after.month, 1, tzinfo=UTC)

    @property
    def end_date_before(self) -> date:
        return add_months(self.end, 1)

    def with_offices(self, offices) -> "Selection":
        return replace(self, offices=tuple(sorted(offices)))

    def as_parameters(self) -> dict:
        """A JSON-able form (for a report request); ``from_parameters`` reads it back."""
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "offices": list(self.offices),
            "country": self.country,
            "sector": self.sector,
            "respondent": self.respondent,
        }

    @classmethod
    def from_parameters(cls, parameters: dict) -> "Selection":
        return cls(
            start=date.fromisoformat(parameters["start"]),
            end=date.fromisoformat(parameters["end"]),
            offices=tuple(parameters.get("offices") or ()),
            country=parameters.get("country") or "",
            sector=parameters.get("sector") or "",
            respondent=parameters.get("respondent"),
        )


def may_see_statistics(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_coordinator)


def visible_offices(user):
    """The offices whose statistics ``user`` may see: every office for global coordinators and admins, else their own.

    Statistics are per office: an office coordinator's figures are their office's cases (``visible_to`` also lets
    them open cases assigned to them elsewhere, which are not theirs to report on).
    """
    if not may_see_statistics(user):
        return Office.objects.none()
    if user.sees_all_offices:
        return Office.objects.all()
    return Office.objects.filter(pk=user.office_id)
