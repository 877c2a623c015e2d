"""Figures checked against the data set's hand-worked numbers (tests/statistics/conftest.py)."""

from datetime import date
from decimal import Decimal

from cases.statistics.refresh import statistics_refresh
from cases.statistics.selection import Selection
from cases.statistics.summary import summary_figures
from cases.statistics.tables import build_tables
from paralegals.models import Office


def _figures(start, end, **filters):
    refresh = statistics_refresh()
    offices = tuple(Office.objects.values_list("pk", flat=True))
    return summary_figures(Selection(start=start, end=end, offices=offices, **filters), refresh.offices)


def test_the_year_in_headline_figures(dataset):
    figures = _figures(date(2026, 1, 1), date(2026, 12, 1))
    headline = figures.headline
    assert (headline.opened, headline.active, headline.closed) == (5, 5, 3)
    assert headline.first_cases == 4  # case 5 is the second case of case 1's worker
    # 1,000.00 USD + 80,000 THB at 0.03 + 700.00 USD
    assert headline.claimed == 100_000 + 240_000 + 70_000
    # 50,000 THB at 0.03 + 300.00 USD (the 999.00 award was reversed)
    assert headline.awarded == 150_000 + 30_000
    assert headline.paid == 60_000
    assert headline.disbursed == 50_000 + 10_000  # case 3's second 100.00 was reversed; case 2 has none
    assert headline.recovery_vs_awarded == Decimal("0.3333")
    assert headline.recovery_vs_claimed == Decimal("0.1463")
    assert figures.median_days_to_disbursement == 39.5  # 38 and 41 days
    assert figures.median_days_to_close == 54  # 5, 54 and 58 days


def test_the_year_in_breakdowns(dataset, paralegal_a):
    figures = _figures(date(2026, 1, 1), date(2026, 12, 1))
    assert figures.stages == {"closed": 3, "redress": 1, "intake": 1}
    # Cases 1-3 reached redress (1 and 3 were closed from it), cases 4 and 5 never left intake.
    assert figures.reached == {"redress": 3, "intake": 2}
    assert figures.outcomes == {"recovered_part": 1, "recovered_full": 1, "nothing": 1}
    corridors = {row.key: row.counts.opened for row in figures.corridors}
    assert corridors == {("KG", "KG"): 1, ("KG", "MY"): 3, ("NP", "TH"): 1}
    genders = {row.key: (row.counts.opened, row.counts.disbursed) for row in figures.genders}
    assert genders == {("man",): (2, 0), ("woman",): (3, 60_000)}
    # The renamed company's case counts for the company it replaced; the award net of its reversal.
    [employer] = figures.respondents
    assert employer.respondent_id == dataset["employer"].pk
    assert (employer.open_claims, employer.unpaid) == (2, 150_000 - 60_000 + 30_000)
    assert [(row.paralegal_id, row.open_cases) for row in figures.paralegals] == [(paralegal_a.pk, 1)]
    trend = {month.month: month.disbursed for month in figures.trend}
    assert trend[date(2026, 2, 1)] == 50_000 and trend[date(2026, 3, 1)] == 10_000
    assert len(figures.trend) == 12


def test_february_and_march(dataset):
    headline = _figures(date(2026, 2, 1), date(2026, 3, 1)).headline
    assert (headline.opened, headline.active, headline.closed) == (3, 5, 2)
    assert (headline.claimed, headline.awarded, headline.paid, headline.disbursed) == (70_000, 30_000, 60_000, 60_000)


def test_april_counts_only_the_cases_still_open(dataset):
    headline = _figures(date(2026, 4, 1), date(2026, 4, 1)).headline
    # Cases 1 and 4 closed before April; case 3 closed in it.
    assert (headline.opened, headline.active, headline.closed) == (0, 3, 1)


def test_a_case_without_disbursement_has_no_days_to_disbursement(dataset):
    figures = _figures(date(2026, 1, 1), date(2026, 12, 1), sector="agriculture")
    assert figures.median_days_to_disbursement is None
    assert figures.median_days_to_close == 5


def test_the_funnel_counts_how_far_the_cases_got(dataset):
    figures = _figures(date(2026, 1, 1), date(2026, 12, 1))
    funnel = next(table for table in build_tables(figures) if table.name == "funnel")
    rows = {row[0].value: row[1].value for row in funnel.rows}
    assert [rows["Opened"], rows["Reached Evidence"], rows["Reached Assignment"], rows["Reached Redress"]] == [
        5,
        3,
        3,
        3,
    ]
    assert rows["Closed"] == 3
    now = next(table for table in build_tables(figures) if table.name == "now")
    assert {row[0].value: row[1].value for row in now.rows}["Redress"] == 1
