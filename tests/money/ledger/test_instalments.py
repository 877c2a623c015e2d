"""Instalment plans: due / paid / missed, marking one paid records the payment, and the missed-instalment query."""

from datetime import date
from decimal import Decimal

import pytest

from cases.models import CaseEvent, EntryKind, EventKind, Instalment, InstalmentStatus, LedgerEntry, Route
from cases.money.services.ledger import (
    LedgerInputError,
    OverRemaining,
    instalment_mark_paid,
    instalment_plan_create,
    ledger_reverse,
    ledger_totals,
)

pytestmark = pytest.mark.django_db

SCHEDULE = [
    (date(2025, 4, 1), Decimal("333.34")),
    (date(2025, 5, 1), Decimal("333.33")),
    (date(2025, 6, 1), Decimal("333.33")),
]


@pytest.fixture
def plan(case, record, administrator):
    record(case, EntryKind.SETTLED, "1000.00")
    return instalment_plan_create(
        actor=administrator,
        case_id=case.pk,
        currency="MYR",
        instalments=list(reversed(SCHEDULE)),
        respondent=case.case_respondents.get().respondent,
        source=Route.MEDIATION,
        note="Agreed at mediation.",
    )


def test_a_plan_keeps_its_instalments_in_date_order_and_their_exact_total(plan, case):
    assert plan.total_minor == 100000 and plan.currency == "MYR"
    assert [(i.due_date, i.amount_minor) for i in plan.instalments.all()] == [
        (date(2025, 4, 1), 33334),
        (date(2025, 5, 1), 33333),
        (date(2025, 6, 1), 33333),
    ]
    event = CaseEvent.objects.filter(case=case).first()
    assert event.kind == EventKind.INSTALMENT_PLAN and event.payload == {"plan": plan.pk, "instalments": 3}


def test_status_is_due_then_missed_after_the_due_date_and_paid_once_marked(plan, administrator):
    first = plan.instalments.first()
    assert first.status(today=date(2025, 4, 1)) == InstalmentStatus.DUE  # due today is not missed yet
    assert first.status(today=date(2025, 4, 2)) == InstalmentStatus.MISSED

    instalment_mark_paid(actor=administrator, case_id=plan.case_id, instalment_id=first.pk, entry_date=date(2025, 4, 3))

    first.refresh_from_db()
    assert first.status(today=date(2025, 12, 31)) == InstalmentStatus.PAID


def test_missed_finds_unpaid_instalments_due_before_today(plan, administrator):
    april, may, june = plan.instalments.all()
    instalment_mark_paid(actor=administrator, case_id=plan.case_id, instalment_id=april.pk, entry_date=date(2025, 4, 1))

    assert list(Instalment.objects.missed(date(2025, 4, 30))) == []
    assert list(Instalment.objects.missed(date(2025, 5, 2))) == [may]
    assert list(Instalment.objects.missed(date(2026, 1, 1))) == [may, june]


def test_marking_paid_records_the_payment_with_the_plans_respondent_and_route(plan, case, administrator):
    may = plan.instalments.all()[1]

    entry = instalment_mark_paid(
        actor=administrator, case_id=case.pk, instalment_id=may.pk, entry_date=date(2025, 5, 3), note="Cash at office"
    )

    may.refresh_from_db()
    assert may.paid_entry == entry
    assert (entry.kind, entry.amount_minor, entry.currency, entry.entry_date) == (
        EntryKind.PAID,
        33333,
        "MYR",
        date(2025, 5, 3),
    )
    assert (entry.respondent, entry.source, entry.reporting_amount_minor) == (
        plan.respondent,
        Route.MEDIATION,
        7333,
    )  # 333.33 × 0.22
    assert ledger_totals(case).by_currency[0].paid == 33333
    event = CaseEvent.objects.filter(case=case).first()
    assert event.payload == {"entry": entry.pk, "kind": EntryKind.PAID, "instalment": may.pk}


def test_an_instalment_is_marked_paid_once(plan, administrator):
    first = plan.instalments.first()
    instalment_mark_paid(actor=administrator, case_id=plan.case_id, instalment_id=first.pk, entry_date=date(2025, 4, 1))
    with pytest.raises(LedgerInputError, match="already"):
        instalment_mark_paid(
            actor=administrator, case_id=plan.case_id, instalment_id=first.pk, entry_date=date(2025, 4, 1)
        )
    assert LedgerEntry.objects.filter(kind=EntryKind.PAID).count() == 1


def test_reversing_the_payment_makes_the_instalment_unpaid_again(plan, administrator):
    first = plan.instalments.first()
    entry = instalment_mark_paid(
        actor=administrator, case_id=plan.case_id, instalment_id=first.pk, entry_date=date(2025, 4, 1)
    )

    ledger_reverse(actor=administrator, case_id=plan.case_id, entry_id=entry.pk, reason="Cheque bounced.")

    assert first in Instalment.objects.missed(date(2025, 4, 2))


def test_an_instalment_beyond_the_award_needs_confirmation_like_any_payment(case, administrator, rates):
    plan = instalment_plan_create(
        actor=administrator, case_id=case.pk, currency="MYR", instalments=[(date(2025, 4, 1), Decimal("50.00"))]
    )
    pk = plan.instalments.get().pk
    with pytest.raises(OverRemaining):
        instalment_mark_paid(actor=administrator, case_id=case.pk, instalment_id=pk, entry_date=date(2025, 4, 1))
    instalment_mark_paid(
        actor=administrator,
        case_id=case.pk,
        instalment_id=pk,
        entry_date=date(2025, 4, 1),
        confirm_over_award=True,
    )


@pytest.mark.parametrize(
    ("currency", "instalments", "field"),
    [
        ("MYR", [], "instalments"),
        ("MYR", [(date(2025, 4, 1), Decimal("0"))], "instalments"),
        ("MYR", [(date(2025, 4, 1), Decimal("10.005"))], "instalments"),
        ("JPY", [(date(2025, 4, 1), Decimal("10.5"))], "instalments"),
        ("ABC", [(date(2025, 4, 1), Decimal("10"))], "currency"),
    ],
)
def test_a_bad_plan_is_refused_and_nothing_is_saved(case, administrator, currency, instalments, field):
    with pytest.raises(LedgerInputError) as refused:
        instalment_plan_create(actor=administrator, case_id=case.pk, currency=currency, instalments=instalments)
    assert refused.value.field == field
    assert not Instalment.objects.exists()


def test_an_instalment_of_another_case_is_not_found(plan, make_case, administrator):
    other = make_case("redress")
    pk = plan.instalments.first().pk
    with pytest.raises(Instalment.DoesNotExist):
        instalment_mark_paid(actor=administrator, case_id=other.pk, instalment_id=pk, entry_date=date(2025, 4, 1))
