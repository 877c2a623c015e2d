"""Anonymising changes no statistic: the summary tables, the dashboard's figures and the direct computation from
the raw rows are the same before and after, whether the summary is taken in incrementally or rebuilt whole."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from cases.models import StatCase, StatDuration, StatFact, StatParalegal, StatRespondent
from cases.retention.services import case_anonymise, claimant_erase
from cases.statistics.direct import direct_figures
from cases.statistics.incremental import statistics_update
from cases.statistics.models import StatDurationBand
from cases.statistics.refresh import statistics_refresh
from cases.statistics.selection import Selection
from cases.statistics.summary import summary_figures
from paralegals.models import Office

TABLES = (StatCase, StatFact, StatDuration, StatDurationBand, StatRespondent, StatParalegal)


def _tables() -> dict:
    """Every summary row without its id, sorted."""
    return {
        model.__name__: sorted(
            tuple(str(value) for value in row)
            for row in model.objects.values_list(*[f.attname for f in model._meta.concrete_fields if f.name != "id"])
        )
        for model in TABLES
    }


def _figures(reader) -> tuple:
    today = timezone.localdate()
    offices = tuple(Office.objects.order_by("pk").values_list("pk", flat=True))
    selection = Selection(start=date(today.year - 1, 1, 1), end=date(today.year, 12, 1), offices=offices)
    refresh = statistics_update()
    return summary_figures(selection, refresh.offices), direct_figures(selection, reader, now=refresh.refreshed_at)


def test_summary_tables_and_figures_are_identical_after_anonymising(
    worker_case, office_b, global_coordinator, administrator, django_capture_on_commit_callbacks
):
    first = worker_case().case
    worker_case(claimant=first.claimant)  # the worker's second case, closed
    worker_case(close=False, name="Second worker")  # open: never anonymised
    other_office = worker_case(office=office_b, name="Third worker").case
    statistics_refresh(now=timezone.now())
    tables, figures = _tables(), _figures(global_coordinator)
    assert tables["StatCase"] and figures[0] == figures[1]

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():  # commit: statistics' marks
        case_anonymise(actor=None, case=other_office)
        claimant_erase(actor=administrator, claimant=first.claimant, reason="Asked by phone on 3 May.")

    assert _figures(global_coordinator) == figures  # incremental refresh, then the dashboard's read and direct
    assert _tables() == tables
    statistics_refresh(now=timezone.now())  # the nightly rebuild from the raw rows
    assert _tables() == tables
    assert _figures(global_coordinator) == figures
