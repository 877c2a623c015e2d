"""Limitation deadlines are computed from the jurisdiction's rule and follow their trigger date."""

from datetime import UTC, date, datetime
from decimal import Decimal

import time_machine

from cases.deadlines.services.deadlines import add_months
from cases.models import CaseEvent, Deadline, DeadlineKind, DeadlineStatus, EventKind, LimitationTrigger
from cases.money.services.ledger import ledger_record

NOW = datetime(2025, 1, 10, 3, 0, tzinfo=UTC)


def _limitations(case):
    return list(Deadline.objects.filter(case=case, kind=DeadlineKind.LIMITATION).order_by("id"))


@time_machine.travel(NOW, tick=False)
def test_a_rule_and_an_end_of_work_date_give_a_limitation_deadline_at_the_end_of_the_day(make_case, make_rule):
    rule = make_rule(months=6)

    case = make_case(work_ended_on=date(2024, 12, 20))

    (deadline,) = _limitations(case)
    assert deadline.due_at == datetime(2025, 6, 20, 23, 59, tzinfo=UTC)
    assert deadline.status == DeadlineStatus.OPEN
    assert deadline.computed_from == {
        "rule": rule.pk,
        "forum": "Labour court",
        "trigger": "end_of_contract",
        "trigger_date": "2024-12-20",
        "source": "Test Act s.1",
    }
    assert deadline.entered_by is None
    assert CaseEvent.objects.filter(case=case, kind=EventKind.DEADLINE_ADDED).count() == 1


@time_machine.travel(NOW, tick=False)
def test_changing_the_trigger_date_moves_the_one_open_deadline_and_records_old_and_new_dates(
    make_case, make_rule, update
):
    make_rule(days=60)
    case = make_case(work_ended_on=date(2024, 12, 1))

    case = update(case, work_ended_on=date(2024, 12, 15))
    update(case, summary="Same dates, other words.")

    (deadline,) = _limitations(case)
    assert deadline.due_at == datetime(2025, 2, 13, 23, 59, tzinfo=UTC)
    (event,) = CaseEvent.objects.filter(case=case, kind=EventKind.DEADLINE_CHANGED)
    assert event.payload == {
        "deadline": deadline.pk,
        "kind": "limitation",
        "from": "2025-01-30T23:59:00+00:00",
        "to": "2025-02-13T23:59:00+00:00",
    }
    assert event.actor is not None


@time_machine.travel(NOW, tick=False)
def test_a_departure_rule_follows_the_departure_date_and_a_departure_deadline_is_kept_too(make_case, make_rule, update):
    make_rule(LimitationTrigger.DEPARTURE, months=3)
    case = make_case(departure_date=date(2025, 2, 1))

    update(case, departure_date=date(2025, 3, 1))

    deadlines = Deadline.objects.filter(case=case, status=DeadlineStatus.OPEN)
    assert {(d.kind, d.due_at.date()) for d in deadlines} == {
        (DeadlineKind.LIMITATION, date(2025, 6, 1)),
        (DeadlineKind.DEPARTURE, date(2025, 3, 1)),
    }
    assert Deadline.objects.filter(case=case).count() == 2


@time_machine.travel(NOW, tick=False)
def test_removing_the_trigger_date_cancels_the_deadline(make_case, make_rule, update):
    make_rule()
    case = make_case(work_ended_on=date(2024, 12, 20))

    update(case, work_ended_on=None)

    (deadline,) = _limitations(case)
    assert deadline.status == DeadlineStatus.CANCELLED
    event = CaseEvent.objects.filter(case=case, kind=EventKind.DEADLINE_CHANGED).get()
    assert event.payload["to"] is None and event.payload["status"] == "cancelled"


@time_machine.travel(NOW, tick=False)
def test_the_termination_trigger_counts_from_the_end_of_work(make_case, make_rule):
    make_rule(LimitationTrigger.TERMINATION, days=30)

    case = make_case(work_ended_on=date(2025, 1, 1))

    assert _limitations(case)[0].due_at.date() == date(2025, 1, 31)


@time_machine.travel(NOW, tick=False)
def test_no_jurisdiction_for_the_country_of_work_means_no_limitation_deadline(make_case, make_rule):
    make_rule()

    case = make_case(country_of_work="TH", work_ended_on=date(2024, 12, 20))

    assert _limitations(case) == []


@time_machine.travel(NOW, tick=False)
def test_months_are_counted_on_the_calendar_and_clamped_to_the_end_of_the_month(make_case, make_rule):
    make_rule(months=1)

    case = make_case(work_ended_on=date(2025, 1, 31))

    assert _limitations(case)[0].due_at.date() == date(2025, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2024, 8, 31), 6) == date(2025, 2, 28)
    assert add_months(date(2024, 11, 30), 3) == date(2025, 2, 28)
    assert add_months(date(2024, 3, 15), 12) == date(2025, 3, 15)


@time_machine.travel(NOW, tick=False)
def test_closing_the_case_cancels_its_computed_deadlines_and_reopening_restores_them(
    make_case, make_rule, coordinator_a
):
    from cases.core.services.cases import case_reopen
    from cases.core.stages import Stage

    make_rule()
    case = make_case(Stage.CLOSED, work_ended_on=date(2024, 12, 20))
    assert not Deadline.objects.filter(case=case, status=DeadlineStatus.OPEN).exists()

    case_reopen(actor=coordinator_a, case_id=case.pk, reason="New evidence.")

    assert Deadline.objects.filter(case=case, status=DeadlineStatus.OPEN, kind=DeadlineKind.LIMITATION).count() == 1


@time_machine.travel(NOW, tick=False)
def test_recording_an_award_starts_a_limitation_period_that_runs_from_it(make_case, make_rule, administrator):
    make_rule(LimitationTrigger.AWARD, months=12)
    case = make_case()
    assert _limitations(case) == []

    ledger_record(
        actor=administrator, case_id=case.pk, kind="awarded", amount=Decimal("1000.00"), currency="USD",
        entry_date=date(2025, 1, 5), source="labour_court",
    )  # fmt: skip

    (deadline,) = _limitations(case)
    assert deadline.computed_from["trigger"] == "award"
    assert deadline.computed_from["trigger_date"] == "2025-01-05"
