"""The dashboard as tables: labels for every key, the cells' kinds, and the small-number rule.

The page, the CSV export and the PDF report show the same tables. With ``protect`` (exports and the PDF), a count
of 1 to ``STATISTICS_MIN_CELL - 1`` cases shows "< 5", and money and rates worked out from fewer cases than that are
suppressed, so no worker can be picked out of a small group.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import formats
from django.utils.translation import gettext as _
from django_countries import countries

from cases import currencies
from cases.models import Respondent, RespondentAlias, Sector
from cases.stages import ORDER, Outcome, Stage
from claimants.models import Gender
from paralegals.models import Office

from . import charts
from .figures import Counts, Figures

COUNT, MONEY, RATE, DAYS, NUMBER, TEXT = "count", "money", "rate", "days", "number", "text"


@dataclass(frozen=True)
class Cell:
    value: object
    kind: str = TEXT
    base: int | None = None  # how many cases a money or rate cell is worked out from


@dataclass
class Table:
    name: str
    title: str
    headers: list[str]
    rows: list[list[Cell]]
    chart: object = ""
    chart_protected: object = ""
    notes: list[str] = field(default_factory=list)

    def screen_rows(self) -> list[list[str]]:
        """The rows as text for staff on screen (who may open the cases anyway): exact counts."""
        return [[display(cell, protect=False) for cell in row] for row in self.rows]

    def protected_rows(self) -> list[list[str]]:
        """The rows as text for an export or the PDF: the small-number rule applied."""
        return [[display(cell, protect=True) for cell in row] for row in self.rows]


def min_cell() -> int:
    return settings.STATISTICS_MIN_CELL


def is_small(count: int) -> bool:
    return 0 < count < min_cell()


def small_text() -> str:
    return f"< {min_cell()}"


def display(cell: Cell, *, protect: bool, for_csv: bool = False) -> str:
    """A cell as text; ``for_csv`` writes plain numbers (no grouping, amounts in major units, rates as fractions)."""
    value, kind = cell.value, cell.kind
    if value is None:
        return ""
    suppressed = protect and cell.base is not None and cell.base < min_cell()
    if kind == COUNT:
        if protect and is_small(value):
            return small_text()
        return str(value) if for_csv else formats.number_format(value, force_grouping=True)
    if kind == MONEY:
        if suppressed:
            return _("suppressed")
        if for_csv:
            return str(currencies.from_minor(value, settings.REPORTING_CURRENCY))
        return currencies.format_money(value, settings.REPORTING_CURRENCY)
    if kind == RATE:
        if suppressed:
            return _("suppressed")
        if for_csv:
            return str(value)
        return f"{formats.number_format(value * 100, 1)} %"
    if kind == DAYS:
        return str(value) if for_csv else formats.number_format(value, 1)
    if kind == NUMBER:
        return str(value) if for_csv else formats.number_format(value, force_grouping=True)
    return str(value)


def _rate(value: Decimal | None, base: int) -> Cell:
    return Cell(value, RATE, base)


def _counts_cells(counts: Counts) -> list[Cell]:
    base = counts.active
    return [
        Cell(counts.active, COUNT),
        Cell(counts.opened, COUNT),
        Cell(counts.closed, COUNT),
        Cell(counts.awarded, MONEY, base),
        Cell(counts.disbursed, MONEY, base),
        _rate(counts.recovery_vs_awarded, base),
    ]


def _breakdown_headers(first: str) -> list[str]:
    currency = settings.REPORTING_CURRENCY
    return [
        first,
        _("Active cases"),
        _("Opened"),
        _("Closed"),
        _("Awarded (%(currency)s)") % {"currency": currency},
        _("Disbursed (%(currency)s)") % {"currency": currency},
        _("Recovery (disbursed ÷ awarded)"),
    ]


def _bars(table_rows: list[list[Cell]], title: str, column: int = 1) -> tuple:
    """The chart of a table's count column, as shown on screen and as in an export (small counts not drawn)."""
    plain, protected = [], []
    for row in table_rows:
        label, cell = str(row[0].value), row[column]
        plain.append((label, cell.value, display(cell, protect=False)))
        small = cell.kind == COUNT and is_small(cell.value)
        protected.append((label, 0 if small else cell.value, display(cell, protect=True)))
    return charts.bar_chart(title, plain), charts.bar_chart(title, protected)


def _country(code: str) -> str:
    return str(countries.name(code)) if code else _("Not recorded")


def _label_of(choices, value: str) -> str:
    if not value:
        return _("Not recorded")
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _respondent_labels(ids: list[int]) -> dict[int, str]:
    """Each respondent's name with the names it is also known by (aliases and successor companies): two queries."""
    names = dict(Respondent.objects.filter(pk__in=ids).values_list("pk", "name"))
    others: dict[int, list[str]] = {pk: [] for pk in ids}
    for pk, alias in RespondentAlias.objects.filter(respondent_id__in=ids).values_list("respondent_id", "name"):
        others[pk].append(alias)
    for pk, successor in Respondent.objects.filter(successor_of_id__in=ids).values_list("successor_of_id", "name"):
        others[pk].append(successor)
    labels = {}
    for pk in ids:
        label = names.get(pk, f"#{pk}")
        if others[pk]:
            label += " (" + _("also: %(names)s") % {"names": ", ".join(sorted(others[pk])[:3])} + ")"
        labels[pk] = label
    return labels


def build_tables(figures: Figures) -> list[Table]:
    """Every table of the dashboard, labelled, in the order shown. A fixed number of queries (office, respondent
    and paralegal names)."""
    currency = settings.REPORTING_CURRENCY
    headline = figures.headline
    base = headline.active
    tables = [
        Table(
            "headline",
            _("Headline"),
            [_("Figure"), _("Value")],
            [
                [Cell(_("Cases opened")), Cell(headline.opened, COUNT)],
                [Cell(_("Cases active")), Cell(headline.active, COUNT)],
                [Cell(_("Cases closed")), Cell(headline.closed, COUNT)],
                [Cell(_("Workers helped (first case opened in the period)")), Cell(headline.first_cases, COUNT)],
                [Cell(_("Claimed (%(currency)s)") % {"currency": currency}), Cell(headline.claimed, MONEY, base)],
                [
                    Cell(_("Awarded or settled (%(currency)s)") % {"currency": currency}),
                    Cell(headline.awarded, MONEY, base),
                ],
                [
                    Cell(_("Paid by respondents (%(currency)s)") % {"currency": currency}),
                    Cell(headline.paid, MONEY, base),
                ],
                [
                    Cell(_("Disbursed to workers (%(currency)s)") % {"currency": currency}),
                    Cell(headline.disbursed, MONEY, base),
                ],
                [Cell(_("Recovery rate: disbursed ÷ awarded")), _rate(headline.recovery_vs_awarded, base)],
                [Cell(_("Recovery rate: disbursed ÷ claimed")), _rate(headline.recovery_vs_claimed, base)],
                [
                    Cell(_("Median days from intake to first disbursement")),
                    Cell(figures.median_days_to_disbursement, DAYS),
                ],
                [Cell(_("Median days from intake to closing")), Cell(figures.median_days_to_close, DAYS)],
            ],
        )
    ]

    funnel_rows = [
        [Cell(str(Stage(stage).label)), Cell(figures.stages.get(stage, 0), COUNT)]
        for stage in ORDER
        if stage != Stage.CLOSED
    ]
    funnel_rows += [
        [Cell(_("Closed: %(outcome)s") % {"outcome": label}), Cell(figures.outcomes.get(value, 0), COUNT)]
        for value, label in Outcome.choices
    ]
    funnel = Table(
        "funnel",
        _("Where the cases opened in the period are now"),
        [_("Stage or outcome"), _("Cases")],
        funnel_rows,
    )
    funnel.chart, funnel.chart_protected = _bars(funnel_rows, funnel.title)
    tables.append(funnel)

    office_names = dict(Office.objects.filter(pk__in=[row.key[0] for row in figures.offices]).values_list("pk", "name"))
    breakdowns = [
        (
            "corridors",
            _("By corridor (origin → country of work)"),
            _("Corridor"),
            lambda key: f"{_country(key[0])} → {_country(key[1])}",
            figures.corridors,
        ),
        ("countries", _("By country of work"), _("Country of work"), lambda key: _country(key[0]), figures.countries),
        ("sectors", _("By sector"), _("Sector"), lambda key: _label_of(Sector, key[0]), figures.sectors),
        ("offices", _("By office"), _("Office"), lambda key: office_names.get(key[0], f"#{key[0]}"), figures.offices),
        (
            "genders",
            _("By gender (where recorded)"),
            _("Gender"),
            lambda key: _label_of(Gender, key[0]),
            figures.genders,
        ),
    ]
    for name, title, first, label, rows in breakdowns:
        table_rows = [[Cell(label(row.key)), *_counts_cells(row.counts)] for row in rows]
        table = Table(name, title, _breakdown_headers(first), table_rows)
        table.chart, table.chart_protected = _bars(table_rows, _("%(title)s: active cases") % {"title": title})
        tables.append(table)

    respondent_labels = _respondent_labels([row.respondent_id for row in figures.respondents])
    respondent_rows = [
        [
            Cell(respondent_labels[row.respondent_id]),
            Cell(row.open_claims, COUNT),
            Cell(row.unpaid, MONEY, row.open_claims),
        ]
        for row in figures.respondents
    ]
    respondents = Table(
        "respondents",
        _("Top respondents by open claims and unpaid awards"),
        [_("Respondent"), _("Open claims"), _("Unpaid awards (%(currency)s)") % {"currency": currency}],
        respondent_rows,
        notes=[
            _("As of the last refresh, not limited to the period. Renamed companies count with the one they replaced.")
        ],
    )
    respondents.chart, respondents.chart_protected = _bars(respondent_rows, respondents.title)
    tables.append(respondents)

    people = {
        user.pk: user.get_full_name() or user.username
        for user in get_user_model()
        .objects.filter(pk__in=[row.paralegal_id for row in figures.paralegals])
        .only("first_name", "last_name", "username")
    }
    paralegal_rows = [
        [
            Cell(people.get(row.paralegal_id, f"#{row.paralegal_id}")),
            Cell(row.open_cases, COUNT),
            Cell(row.overdue, NUMBER),
        ]
        for row in figures.paralegals
    ]
    paralegals = Table(
        "paralegals",
        _("Caseload by paralegal"),
        [_("Paralegal"), _("Open cases"), _("Overdue deadlines")],
        paralegal_rows,
        notes=[_("As of the last refresh, not limited to the period.")],
    )
    paralegals.chart, paralegals.chart_protected = _bars(paralegal_rows, paralegals.title)
    tables.append(paralegals)

    trend_rows = [
        [
            Cell(month.month.strftime("%Y-%m")),
            Cell(month.claimed, MONEY),
            Cell(month.awarded, MONEY),
            Cell(month.paid, MONEY),
            Cell(month.disbursed, MONEY),
        ]
        for month in figures.trend
    ]
    trend = Table(
        "trend",
        _("Monthly trend of recoveries"),
        [
            _("Month"),
            _("Claimed (%(currency)s)") % {"currency": currency},
            _("Awarded (%(currency)s)") % {"currency": currency},
            _("Paid by respondents (%(currency)s)") % {"currency": currency},
            _("Disbursed (%(currency)s)") % {"currency": currency},
        ],
        trend_rows,
    )
    trend.chart = trend.chart_protected = charts.column_pairs_chart(
        _("Awarded and disbursed per month (%(currency)s)") % {"currency": currency},
        (_("Awarded"), _("Disbursed")),
        [(row.month.strftime("%Y-%m"), row.awarded, row.disbursed) for row in figures.trend],
    )
    tables.append(trend)
    return tables
