"""The dashboard as tables: labels for every key, the cells' kinds, and the small-number rule.

The page, the CSV export and the PDF report show the same tables. With ``protect`` (exports and the PDF), a count
of 1 to ``STATISTICS_MIN_CELL - 1`` cases shows "< 5", and money and rates worked out from fewer cases than that are
suppressed, so no worker can be picked out of a small group.
"""

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_countries import countries

from cases.core.models import Respondent, RespondentAlias, Sector
from cases.core.stages import ORDER, Outcome, Stage
from cases.money import currencies
from cases.statistics import charts
from cases.statistics.figures import Counts, Figures
from claimants.models import Gender
from paralegals.models import Office

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
    notes: list[str] = field(default_factory=list)
    # Draws the table's chart: ``draw(table, protect)``; called only when a chart is shown (the page shows the
    # plain one, the PDF the protected one).
    draw: Callable[["Table", bool], str] | None = None

    @cached_property
    def chart(self) -> str:
        return self.draw(self, False) if self.draw else ""

    @cached_property
    def chart_protected(self) -> str:
        return self.draw(self, True) if self.draw else ""

    @cached_property
    def _screen_rows(self) -> list[list[str]]:
        numbers = Numbers.current()
        return [[display(cell, protect=False, numbers=numbers) for cell in row] for row in self.rows]

    def screen_rows(self) -> list[list[str]]:
        """The rows as text for staff on screen (who may open the cases anyway): exact counts."""
        return self._screen_rows

    def screen_body(self) -> SafeString:
        """``screen_rows`` as the rows of an HTML table: the first cell of each a row header (built here, not in a
        template loop: a thousand cells on a page)."""
        return mark_safe(  # noqa: S308 (every text is escaped; html.escape is what Django's escape calls) # nosec B308 B703
            "\n    ".join(
                f'<tr><th scope="row">{html.escape(str(row[0]))}</th>'
                + "".join(f'<td class="num">{html.escape(str(text))}</td>' for text in row[1:])
                + "</tr>"
                for row in self.screen_rows()
            )
        )

    def protected_rows(self) -> list[list[str]]:
        """The rows as text for an export or the PDF: the small-number rule applied."""
        numbers = Numbers.current()
        return [[display(cell, protect=True, numbers=numbers) for cell in row] for row in self.rows]


def min_cell() -> int:
    return settings.STATISTICS_MIN_CELL


def is_small(count: int) -> bool:
    return 0 < count < min_cell()


def small_text() -> str:
    return f"< {min_cell()}"


@dataclass(frozen=True)
class Numbers:
    """The active language's way of writing whole numbers and money, read once for a table: Django's
    ``number_format`` looks it up again for every cell (a thousand cells on a page). The same text as
    ``formats.number_format(n, force_grouping=True)`` and ``currencies.format_money`` (tested for every language)."""

    thousands: str
    grouping: int  # digits per group; 0: Django's own formatting (a non-uniform grouping)
    decimal: str
    currency: str
    exponent: int

    @classmethod
    def current(cls) -> "Numbers":
        language = get_language()
        grouping = formats.get_format("NUMBER_GROUPING", language, use_l10n=True)
        currency = settings.REPORTING_CURRENCY
        return cls(
            thousands=str(formats.get_format("THOUSAND_SEPARATOR", language, use_l10n=True)),
            grouping=grouping if isinstance(grouping, int) and grouping > 0 else 0,
            decimal=str(formats.get_format("DECIMAL_SEPARATOR", language, use_l10n=True)),
            currency=currency,
            exponent=currencies.get_currency(currency).exponent,
        )

    def _grouped(self, number: int) -> str:
        """A whole number ≥ 0 with its digits grouped."""
        size = self.grouping
        if size == 3:
            return f"{number:,}".replace(",", self.thousands)
        digits = str(number)
        head = len(digits) % size or size
        return self.thousands.join([digits[:head], *(digits[i : i + size] for i in range(head, len(digits), size))])

    def count(self, value: int) -> str:
        if not self.grouping or not isinstance(value, int):
            return formats.number_format(value, force_grouping=True)
        return ("-" if value < 0 else "") + self._grouped(abs(value))

    def money(self, minor: int) -> str:
        if not self.grouping:
            return currencies.format_money(minor, self.currency)
        whole, fraction = divmod(abs(int(minor)), 10**self.exponent)
        text = ("-" if minor < 0 else "") + self._grouped(whole)
        if self.exponent:
            text += f"{self.decimal}{fraction:0{self.exponent}d}"
        return f"{text}\N{NO-BREAK SPACE}{self.currency}"


def display(cell: Cell, *, protect: bool, for_csv: bool = False, numbers: Numbers | None = None) -> str:
    """A cell as text; ``for_csv`` writes plain numbers (no grouping, amounts in major units, rates as fractions).
    ``numbers``: the language's number format when many cells are shown (``Numbers.current()``)."""
    value, kind = cell.value, cell.kind
    if value is None:
        return ""
    suppressed = protect and cell.base is not None and cell.base < min_cell()
    if kind == COUNT:
        if protect and is_small(value):
            return small_text()
        if for_csv:
            return str(value)
        return numbers.count(value) if numbers else formats.number_format(value, force_grouping=True)
    if kind == MONEY:
        if suppressed:
            return _("suppressed")
        if for_csv:
            return str(currencies.from_minor(value, settings.REPORTING_CURRENCY))
        return numbers.money(value) if numbers else currencies.format_money(value, settings.REPORTING_CURRENCY)
    if kind == RATE:
        if suppressed:
            return _("suppressed")
        if for_csv:
            return str(value)
        return f"{formats.number_format(value * 100, 1)} %"
    if kind == DAYS:
        return str(value) if for_csv else formats.number_format(value, 1)
    if kind == NUMBER:
        if for_csv:
            return str(value)
        return numbers.count(value) if numbers else formats.number_format(value, force_grouping=True)
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


def _bars(title: str, column: int = 1) -> Callable[[Table, bool], str]:
    """Draws the chart of a table's count column, as shown on screen or as in an export (small counts not drawn)."""

    def draw(table: Table, protect: bool) -> str:
        numbers = Numbers.current() if protect else None
        items = []
        for row, texts in zip(table.rows, table.screen_rows(), strict=True):
            label, cell = str(row[0].value), row[column]
            if not protect:
                items.append((label, cell.value, texts[column]))
                continue
            small = cell.kind == COUNT and is_small(cell.value)
            items.append((label, 0 if small else cell.value, display(cell, protect=True, numbers=numbers)))
        return charts.bar_chart(title, items)

    return draw


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


def _office_names(ids: list[int], known: dict[int, str] | None) -> dict[int, str]:
    names = dict(known or {})
    if missing := [pk for pk in ids if pk not in names]:
        names.update(Office.objects.filter(pk__in=missing).values_list("pk", "name"))
    return names


def build_tables(figures: Figures, *, office_names: dict[int, str] | None = None) -> list[Table]:
    """Every table of the dashboard, labelled, in the order shown. A fixed number of queries (respondent and
    paralegal names; office names unless ``office_names`` has every office shown)."""
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

    # How far the cases opened in the period got: each open stage counts the cases that reached it or went further
    # (Case.furthest_stage, kept when a case closes or moves back), then how they closed.
    open_stages = [stage for stage in ORDER if stage != Stage.CLOSED]
    funnel_rows = [[Cell(_("Opened")), Cell(figures.headline.opened, COUNT)]]
    funnel_rows += [
        [
            Cell(_("Reached %(stage)s") % {"stage": Stage(stage).label}),
            Cell(sum(figures.reached.get(later, 0) for later in open_stages[n:]), COUNT),
        ]
        for n, stage in enumerate(open_stages)
        if n
    ]
    funnel_rows.append([Cell(_("Closed")), Cell(figures.stages.get(Stage.CLOSED, 0), COUNT)])
    funnel_rows += [
        [Cell(_("Closed: %(outcome)s") % {"outcome": label}), Cell(figures.outcomes.get(value, 0), COUNT)]
        for value, label in Outcome.choices
    ]
    funnel_title = _("How far the cases opened in the period got")
    tables.append(
        Table("funnel", funnel_title, [_("Stage or outcome"), _("Cases")], funnel_rows, draw=_bars(funnel_title))
    )
    now_rows = [[Cell(str(Stage(stage).label)), Cell(figures.stages.get(stage, 0), COUNT)] for stage in ORDER]
    now_title = _("Where the cases opened in the period are now")
    tables.append(Table("now", now_title, [_("Stage"), _("Cases")], now_rows, draw=_bars(now_title)))

    office_names = _office_names([row.key[0] for row in figures.offices], office_names)
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
        chart_title = _("%(title)s: active cases") % {"title": title}
        tables.append(Table(name, title, _breakdown_headers(first), table_rows, draw=_bars(chart_title)))

    respondent_labels = _respondent_labels([row.respondent_id for row in figures.respondents])
    respondent_rows = [
        [
            Cell(respondent_labels[row.respondent_id]),
            Cell(row.open_claims, COUNT),
            Cell(row.unpaid, MONEY, row.open_claims),
        ]
        for row in figures.respondents
    ]
    respondents_title = _("Top respondents by open claims and unpaid awards")
    respondents = Table(
        "respondents",
        respondents_title,
        [_("Respondent"), _("Open claims"), _("Unpaid awards (%(currency)s)") % {"currency": currency}],
        respondent_rows,
        notes=[
            _("As of the last refresh, not limited to the period. Renamed companies count with the one they replaced.")
        ],
        draw=_bars(respondents_title),
    )
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
    paralegals_title = _("Caseload by paralegal")
    paralegals = Table(
        "paralegals",
        paralegals_title,
        [_("Paralegal"), _("Open cases"), _("Overdue deadlines")],
        paralegal_rows,
        notes=[_("As of the last refresh, not limited to the period.")],
        draw=_bars(paralegals_title),
    )
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
    trend_title = _("Awarded and disbursed per month (%(currency)s)") % {"currency": currency}
    trend_points = [(row.month.strftime("%Y-%m"), row.awarded, row.disbursed) for row in figures.trend]
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
        # Money per month, no counts: the same chart on screen and in an export.
        draw=lambda table, protect: charts.column_pairs_chart(
            trend_title, (_("Awarded"), _("Disbursed")), trend_points
        ),
    )
    tables.append(trend)
    return tables
