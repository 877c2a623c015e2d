"""The calculation section costs the same number of queries however many rows the case has."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import ItemKind
from cases.money.services.calculations import calculation_item_add, calculation_run
from cases.money.views.calculation import calculation_context

pytestmark = pytest.mark.django_db


def _add_periods(add_period, case, count: int, first: date) -> date:
    day = first
    for number in range(count):
        end = day + timedelta(days=6)
        add_period(case, label=f"Week {number}", start=day, end=end, days_worked=6, normal_hours=48, overtime_hours=2)
        day = end + timedelta(days=1)
    return day


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["case_detail", "calculation"])
def test_the_page_costs_the_same_with_2_or_20_periods_items_and_lines(client, calc_case, add_period, paralegal_a, page):
    client.force_login(paralegal_a)
    path = reverse(page, args=[calc_case.pk])
    client.get(reverse("case_detail", args=[calc_case.pk]))  # the case's read is in the access log: a part adds none
    day = _add_periods(add_period, calc_case, 2, date(2024, 6, 3))
    calculation_item_add(actor=paralegal_a, case_id=calc_case.pk, kind=ItemKind.FINAL_PAY, amount=Decimal(100))
    calculation_run(actor=paralegal_a, case_id=calc_case.pk)
    few = _queries(client, path)

    _add_periods(add_period, calc_case, 18, day)
    for _ in range(5):
        calculation_item_add(actor=paralegal_a, case_id=calc_case.pk, kind=ItemKind.OTHER, amount=Decimal(5))
    calculation_run(actor=paralegal_a, case_id=calc_case.pk)
    many = _queries(client, path)

    assert few == many


def test_the_section_itself_takes_five_queries(rf, calc_case, add_period, paralegal_a, django_assert_num_queries):
    add_period(calc_case)
    calculation_run(actor=paralegal_a, case_id=calc_case.pk)
    request = rf.get("/")
    request.user = paralegal_a

    # settings + jurisdiction, pay periods, one-off items, latest snapshot + who ran it, jurisdiction choices.
    with django_assert_num_queries(5):
        calculation_context(request, calc_case)
