"""Two people recording payments on the same case at once: the case lock serialises them, so the second sees the
first and the award is never silently overpaid, nor an instalment paid twice. PostgreSQL only (real row locks)."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, connections

from cases.models import EntryKind, LedgerEntry, Route
from cases.money.services.ledger import OverRemaining, instalment_mark_paid, instalment_plan_create, ledger_record

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite has no SELECT ... FOR UPDATE, so the race cannot be staged",
    ),
    pytest.mark.django_db(transaction=True),
]


def race(*actions) -> list[object]:
    barrier = threading.Barrier(len(actions), timeout=10)
    outcomes: list[object] = []

    def run(action):
        try:
            barrier.wait()
            outcomes.append(action())
        except Exception as exc:  # collected and asserted below
            outcomes.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def test_two_payments_that_together_exceed_the_award_record_one_and_refuse_the_other(
    case, record, coordinator_a, paralegal_a
):
    record(case, EntryKind.AWARDED, "100.00")

    def pay(actor):
        return lambda: ledger_record(
            actor=actor,
            case_id=case.pk,
            kind=EntryKind.PAID,
            amount=Decimal("60.00"),
            currency="MYR",
            entry_date=date(2025, 3, 15),
            source=Route.NEGOTIATION,
        )

    outcomes = race(pay(coordinator_a), pay(paralegal_a))

    assert sum(isinstance(outcome, LedgerEntry) for outcome in outcomes) == 1, outcomes
    assert sum(isinstance(outcome, OverRemaining) for outcome in outcomes) == 1, outcomes
    assert LedgerEntry.objects.filter(kind=EntryKind.PAID).count() == 1


def test_an_instalment_marked_paid_twice_at_once_is_paid_once(case, record, coordinator_a, paralegal_a):
    record(case, EntryKind.SETTLED, "100.00")
    plan = instalment_plan_create(
        actor=coordinator_a, case_id=case.pk, currency="MYR", instalments=[(date(2025, 4, 1), Decimal("50.00"))]
    )
    pk = plan.instalments.get().pk

    def mark(actor):
        return lambda: instalment_mark_paid(actor=actor, case_id=case.pk, instalment_id=pk, entry_date=date(2025, 4, 1))

    outcomes = race(mark(coordinator_a), mark(paralegal_a))

    assert sum(isinstance(outcome, LedgerEntry) for outcome in outcomes) == 1, outcomes
    assert LedgerEntry.objects.filter(kind=EntryKind.PAID).count() == 1
