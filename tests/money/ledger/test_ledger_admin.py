"""The admin: exchange rates are maintained there; ledger entries and plans are listed read-only, scoped, cheaply."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import EntryKind, ExchangeRate
from cases.money.services.ledger import instalment_plan_create

pytestmark = pytest.mark.django_db


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_an_administrator_adds_an_exchange_rate_in_the_admin(client, superuser):
    client.force_login(superuser)

    response = client.post(
        reverse("admin:cases_exchangerate_add"),
        {"date": "2025-01-01", "currency": "NPR", "rate": "0.0075", "source": "Central bank"},
    )

    assert response.status_code == 302
    assert ExchangeRate.objects.get().rate == Decimal("0.0075")


@pytest.mark.parametrize(("currency", "message"), [("USD", "reporting currency"), ("XYZ", "not one of the available")])
def test_the_admin_refuses_a_rate_for_the_reporting_currency_or_an_unknown_one(client, superuser, currency, message):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:cases_exchangerate_add"), {"date": "2025-01-01", "currency": currency, "rate": "1"}
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert not ExchangeRate.objects.exists()


@pytest.mark.parametrize("name", ["cases_ledgerentry", "cases_instalmentplan", "cases_exchangerate"])
def test_ledger_change_lists_cost_the_same_with_few_or_many_rows(client, superuser, case, record, administrator, name):
    client.force_login(superuser)
    url = reverse(f"admin:{name}_changelist")

    def add(n):
        for _ in range(n):
            record(case, EntryKind.CLAIMED, "0.50")
            instalment_plan_create(
                actor=administrator, case_id=case.pk, currency="MYR", instalments=[(date(2025, 4, 1), Decimal(1))]
            )
            ExchangeRate.objects.create(currency="NPR", date=date(2020, 1, 1 + ExchangeRate.objects.count()), rate=1)

    add(2)
    few = queries_for(client, url)
    add(10)
    assert queries_for(client, url) == few


def test_ledger_entries_are_read_only_and_scoped_to_visible_cases(client, case, record, paralegal_b):
    entry = record(case, EntryKind.CLAIMED, "10.00")
    paralegal_b.is_staff = True
    paralegal_b.save(update_fields=["is_staff"])
    paralegal_b.user_permissions.add(Permission.objects.get(codename="view_ledgerentry"))
    client.force_login(paralegal_b)

    response = client.get(reverse("admin:cases_ledgerentry_changelist"))

    assert response.status_code == 200 and list(response.context["cl"].result_list) == []
    assert client.get(reverse("admin:cases_ledgerentry_change", args=[entry.pk])).status_code == 302
