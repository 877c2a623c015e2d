"""Reminder rules write outbox rows once, to the right people, and never leak the PIN or amounts to the worker."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import time_machine
from django.utils import timezone

from cases.core.services.cases import case_advance
from cases.core.stages import Stage
from cases.deadlines.reminders import rules as reminder_rules
from cases.deadlines.services.deadlines import deadline_add, deadline_set_status
from cases.deadlines.tasks import run_periodic_rules
from cases.models import Deadline, DeadlineKind, Reminder, ReminderChannel, ReminderStatus
from cases.money.services.ledger import instalment_plan_create
from claimants.models import ChannelKind, ContactChannel

NOW = datetime(2025, 1, 1, 3, 0, tzinfo=UTC)


def _deadline_reminders(case, channel=ReminderChannel.EMAIL):
    """The case's deadline reminders on one channel (each staff reminder is an ``app`` row and an ``email`` row)."""
    return Reminder.objects.filter(case=case, template="deadline", channel=channel)


@time_machine.travel(NOW, tick=False)
def test_a_deadline_gets_reminders_14_7_2_1_days_before_and_on_the_day_once(make_case, paralegal_a):
    case = make_case(Stage.REDRESS)
    deadline = deadline_add(
        actor=paralegal_a, case_id=case.pk, kind=DeadlineKind.HEARING, due_at=NOW + timedelta(days=20)
    )

    reminder_rules.deadline_reminders_sync(case, [deadline], now=timezone.now())

    rows = _deadline_reminders(case).order_by("due_at")
    assert [row.context["days_before"] for row in rows] == [14, 7, 2, 1, 0]
    assert {row.recipient_user_id for row in rows} == {paralegal_a.pk}
    assert rows[0].due_at == datetime(2025, 1, 7, 9, 0, tzinfo=UTC)
    in_app = _deadline_reminders(case, ReminderChannel.APP).order_by("due_at")
    assert [(row.context, row.due_at) for row in in_app] == [(row.context, row.due_at) for row in rows]


@time_machine.travel(NOW, tick=False)
def test_only_future_reminders_are_written(make_case, paralegal_a):
    case = make_case(Stage.REDRESS)

    deadline_add(actor=paralegal_a, case_id=case.pk, kind=DeadlineKind.FILING_DUE, due_at=NOW + timedelta(days=3))

    assert sorted(row.context["days_before"] for row in _deadline_reminders(case)) == [0, 1, 2]


@time_machine.travel(NOW, tick=False)
def test_an_unassigned_case_reminds_the_office_coordinators(make_case, coordinator_a):
    case = make_case(Stage.INTAKE)

    deadline_add(
        actor=coordinator_a, case_id=case.pk, kind=DeadlineKind.FOLLOW_UP, due_at=NOW + timedelta(days=1, hours=12)
    )

    assert {row.recipient_user_id for row in _deadline_reminders(case)} >= {coordinator_a.pk}


@time_machine.travel(NOW, tick=False)
def test_a_moved_due_date_cancels_the_old_pending_reminders_and_writes_new_ones(
    make_case, make_rule, update, paralegal_a
):
    make_rule(days=30)
    case = make_case(Stage.REDRESS, work_ended_on=date(2024, 12, 31))
    old = set(_deadline_reminders(case).values_list("pk", flat=True))
    assert len(old) == 5

    update(case, work_ended_on=date(2025, 1, 5))
    update(case, summary="again")  # a recompute that changes nothing writes nothing

    assert set(_deadline_reminders(case).filter(status=ReminderStatus.CANCELLED).values_list("pk", flat=True)) == old
    pending = _deadline_reminders(case).filter(status=ReminderStatus.PENDING)
    assert pending.count() == 5
    assert {row.context["due_at"] for row in pending} == {"2025-02-04T23:59:00+00:00"}


@time_machine.travel(NOW, tick=False)
def test_a_met_deadline_cancels_its_pending_reminders(make_case, paralegal_a):
    case = make_case(Stage.REDRESS)
    deadline = deadline_add(
        actor=paralegal_a, case_id=case.pk, kind=DeadlineKind.HEARING, due_at=NOW + timedelta(days=20)
    )

    deadline_set_status(actor=paralegal_a, deadline_id=deadline.pk, status="met")

    assert not _deadline_reminders(case).filter(status=ReminderStatus.PENDING).exists()


def test_an_overdue_deadline_escalates_to_the_coordinators_once(make_case, paralegal_a, coordinator_a):
    with time_machine.travel(NOW, tick=False):
        case = make_case(Stage.REDRESS)
        deadline_add(actor=paralegal_a, case_id=case.pk, kind=DeadlineKind.HEARING, due_at=NOW + timedelta(hours=2))
    later = NOW + timedelta(days=1)

    run_periodic_rules(later)
    run_periodic_rules(later + timedelta(hours=1))

    (row,) = Reminder.objects.filter(case=case, template="deadline_overdue", channel=ReminderChannel.EMAIL)
    assert row.recipient_user == coordinator_a
    assert Deadline.objects.get(case=case).status == "missed"


def test_an_inactive_case_flags_its_paralegal_once_per_quiet_period(make_case, paralegal_a):
    with time_machine.travel(NOW, tick=False):
        case = make_case(Stage.REDRESS)
    later = NOW + timedelta(days=31)

    reminder_rules.flag_inactive_cases(later)
    reminder_rules.flag_inactive_cases(later + timedelta(days=1))
    assert reminder_rules.flag_inactive_cases(NOW + timedelta(days=29)) == 0

    (row,) = Reminder.objects.filter(case=case, template="inactive_case", channel=ReminderChannel.EMAIL)
    assert row.recipient_user == paralegal_a


@time_machine.travel(NOW, tick=False)
def test_a_departure_within_a_week_is_an_urgent_reminder_once(make_case, paralegal_a):
    soon = make_case(Stage.REDRESS, departure_date=date(2025, 1, 6))
    make_case(Stage.REDRESS, departure_date=date(2025, 2, 6))

    reminder_rules.departure_soon(timezone.now())
    reminder_rules.departure_soon(timezone.now())

    (row,) = Reminder.objects.filter(template="departure_soon", channel=ReminderChannel.EMAIL)
    assert row.case == soon and row.urgent and row.recipient_user == paralegal_a


def test_instalments_remind_two_days_before_and_the_day_after_a_missed_one(make_case, paralegal_a):
    with time_machine.travel(NOW, tick=False):
        case = make_case(Stage.REDRESS)
        instalment_plan_create(
            actor=paralegal_a,
            case_id=case.pk,
            currency="MYR",
            instalments=[(date(2025, 1, 3), Decimal("100.00")), (date(2025, 2, 3), Decimal("100.00"))],
        )
        reminder_rules.instalment_reminders(timezone.now())
        reminder_rules.instalment_reminders(timezone.now())
    (due,) = Reminder.objects.filter(case=case, template="instalment_due", channel=ReminderChannel.EMAIL)
    assert due.due_at == datetime(2025, 1, 1, 9, 0, tzinfo=UTC)
    assert "amount" not in str(due.context)

    reminder_rules.instalment_reminders(datetime(2025, 1, 4, 10, 0, tzinfo=UTC))

    (missed,) = Reminder.objects.filter(case=case, template="instalment_missed", channel=ReminderChannel.EMAIL)
    assert missed.recipient_user == paralegal_a


def _channels(claimant):
    make = ContactChannel.objects.create
    return {
        "sms": make(claimant=claimant, kind=ChannelKind.PHONE, value="+60 12 345", consent=True, safe_to_contact=True),
        "wa": make(
            claimant=claimant, kind=ChannelKind.WHATSAPP, value="+60 12 999", consent=True, safe_to_contact=True
        ),
        "unsafe": make(claimant=claimant, kind=ChannelKind.EMAIL, value="a@x.example", consent=True),
        "no_consent": make(claimant=claimant, kind=ChannelKind.EMAIL, value="b@x.example", safe_to_contact=True),
    }


def test_a_stage_change_notifies_the_worker_on_consented_safe_channels_in_their_language(make_case, administrator):
    case = make_case(Stage.EVIDENCE)
    channels = _channels(case.claimant)

    case_advance(actor=administrator, case_id=case.pk, to_stage=Stage.ASSIGNMENT)

    rows = Reminder.objects.filter(case=case, template="status_notice")
    assert {(row.recipient_channel_id, row.channel) for row in rows} == {
        (channels["sms"].pk, ReminderChannel.SMS),
        (channels["wa"].pk, ReminderChannel.WHATSAPP),
    }
    assert {row.language for row in rows} == {"ky"}
    assert [row.context for row in rows] == [{"stage": "assignment"}] * 2
    # The stage only: no PIN, amount or employer name can be in a context with one key.
    assert all(set(row.context) == {"stage"} for row in rows)


def test_no_status_notice_when_the_case_is_flagged_unsafe(make_case, administrator):
    case = make_case(Stage.EVIDENCE, flag_unsafe_contact=True)
    _channels(case.claimant)

    case_advance(actor=administrator, case_id=case.pk, to_stage=Stage.ASSIGNMENT)

    assert not Reminder.objects.filter(case=case, template="status_notice").exists()


def test_the_celery_task_runs_every_periodic_rule_and_is_idempotent(make_case, paralegal_a):
    from cases.tasks import run_reminder_rules

    with time_machine.travel(NOW, tick=False):
        make_case(Stage.REDRESS, departure_date=date(2025, 1, 3))
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        run_reminder_rules()
        count = Reminder.objects.count()
        run_reminder_rules()

    assert Reminder.objects.count() == count
    assert Reminder.objects.filter(template="departure_soon", channel=ReminderChannel.EMAIL).count() == 1
