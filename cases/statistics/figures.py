"""The numbers a dashboard shows, as plain data: the same shape whether read from the summary tables or computed
directly from the cases and the ledger (``summary`` and ``direct``), so a test can compare the two."""

from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal

from cases.money import currencies
from cases.statistics.selection import months_between


@dataclass(frozen=True)
class Counts:
    """Cases opened, active (open at some time in the period), closed, workers' first cases (all by case count);
    money entries dated in the period, net of reversals, in the reporting currency's minor units."""

    opened: int = 0
    active: int = 0
    closed: int = 0
    first_cases: int = 0
    claimed: int = 0
    awarded: int = 0
    paid: int = 0
    disbursed: int = 0

    @classmethod
    def of(cls, values: dict) -> "Counts":
        return cls(**{f.name: int(values.get(f.name) or 0) for f in fields(cls)})

    def plus(self, other: "Counts") -> "Counts":
        return Counts(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})

    @property
    def is_zero(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))

    @property
    def recovery_vs_awarded(self) -> Decimal | None:
        return currencies.ratio(self.disbursed, self.awarded)

    @property
    def recovery_vs_claimed(self) -> Decimal | None:
        return currencies.ratio(self.disbursed, self.claimed)


@dataclass(frozen=True)
class Row:
    key: tuple
    counts: Counts


@dataclass(frozen=True)
class MonthMoney:
    month: date
    claimed: int = 0
    awarded: int = 0
    paid: int = 0
    disbursed: int = 0


@dataclass(frozen=True)
class RespondentRow:
    respondent_id: int
    open_claims: int
    unpaid: int


@dataclass(frozen=True)
class ParalegalRow:
    paralegal_id: int
    open_cases: int
    overdue: int


@dataclass(frozen=True)
class Figures:
    headline: Counts = Counts()
    median_days_to_disbursement: float | None = None
    median_days_to_close: float | None = None
    stages: dict = field(default_factory=dict)  # cases opened in the period by their stage now
    outcomes: dict = field(default_factory=dict)
    reached: dict = field(default_factory=dict)  # ... by the furthest open stage they reached
    offices: list = field(default_factory=list)
    countries: list = field(default_factory=list)
    sectors: list = field(default_factory=list)
    corridors: list = field(default_factory=list)
    genders: list = field(default_factory=list)
    trend: list = field(default_factory=list)
    respondents: list = field(default_factory=list)
    paralegals: list = field(default_factory=list)


def merge_rows(*groups: dict) -> list[Row]:
    """Rows from ``{key: Counts}`` dicts (summed per key), without all-zero rows, in key order."""
    merged: dict = {}
    for group in groups:
        for key, counts in group.items():
            merged[key] = merged[key].plus(counts) if key in merged else counts
    return [
        Row(key, counts)
        for key, counts in sorted(merged.items(), key=lambda item: _sortable(item[0]))
        if not counts.is_zero
    ]


def _sortable(key: tuple) -> tuple:
    return tuple("" if part is None else str(part) for part in key)


def fill_months(selection, found: dict) -> list[MonthMoney]:
    """One entry per month of the period (zeros where nothing was recorded)."""
    return [found.get(month, MonthMoney(month)) for month in months_between(selection.start, selection.end)]


# The breakdowns: name -> (summary dimension, summary columns, case columns). The key of a row is the values of
# those columns, in order (the corridor: origin, then country of work).
BREAKDOWNS = {
    "offices": ("all", ("office_id",), ("office_id",)),
    "countries": ("all", ("country_of_work",), ("country_of_work",)),
    "sectors": ("all", ("sector",), ("sector",)),
    "corridors": ("origin", ("value", "country_of_work"), ("claimant__nationality", "country_of_work")),
    "genders": ("gender", ("value",), ("claimant__gender",)),
}
TOP_RESPONDENTS = 10
TOP_PARALEGALS = 100
