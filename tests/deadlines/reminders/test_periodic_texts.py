"""The other reminders read right, end to end: each is caused through the services, written by its rule
(``run_periodic_rules`` as beat runs it, or the stage change for the worker's notice), sent by the sweep, and read
back from what was sent — Django's locmem email for staff, the SMS file backend's JSON for the worker."""

import json
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import formats, translation

from cases.core.services.cases import case_advance
from cases.core.stages import Stage
from cases.deadlines.reminders.sweep import send_due_reminders
from cases.deadlines.services.deadlines import deadline_add, deadline_set_status, task_add
from cases.deadlines.tasks import run_periodic_rules
from cases.models import DeadlineKind, Notification, Reminder, ReminderChannel
from cases.money.services.ledger import instalment_plan_create
from claimants.models import ChannelKind, ContactChannel
from tests.factories import ClaimantFactory, ConsentFactory, UserFactory

from .conftest import INSTALMENT, assigned_case

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # Monday 2 March 2026, 10:00 in Bangkok


def date_format(value, format_name="DATE_FORMAT"):
    """How Django writes ``value`` in English (built here, not by the code under test)."""
    with translation.override("en"):
        return formats.date_format(value, format_name)


def beat_at(moment):
    """What beat does at ``moment``: the periodic rules, then the sweep."""
    with time_machine.travel(moment, tick=False):
        run_periodic_rules(moment)
        return send_due_reminders()


def emails_to(outbox, user):
    return [email for email in outbox if email.to == [user.email]]


def link(case):
    return f"\n\nOpen the case: http://127.0.0.1:8000/cases/{case.pk}/"


@pytest.fixture
def case(bangkok, bangkok_coordinator, bangkok_paralegal):
    with time_machine.travel(START, tick=False):
        return assigned_case(bangkok, bangkok_coordinator, bangkok_paralegal)


def test_an_overdue_hearing_is_escalated_to_the_coordinator_with_its_office_time(
    case, bangkok_paralegal, bangkok_coordinator, django_email
):
    with time_machine.travel(START, tick=False):
        deadline_add(
            actor=bangkok_paralegal, case_id=case.pk, kind=DeadlineKind.HEARING, due_at=START + timedelta(hours=4)
        )
    beat_at(START + timedelta(days=1))
    beat_at(START + timedelta(days=1, hours=1))  # beat again: nothing new

    [email] = emails_to(django_email, bangkok_coordinator)
    hearing = date_format(datetime(2026, 3, 2, 14, 0, tzinfo=ZoneInfo("Asia/Bangkok")), "DATETIME_FORMAT")
    assert email.subject == f"Overdue: Hearing on case {case.reference}"
    assert email.body == (
        f"Hearing on case {case.reference} was due on {hearing} (Asia/Bangkok, UTC+7) and is not marked met."
        + link(case)
    )


def test_an_escalation_is_dropped_when_the_deadline_is_marked_met_before_it_goes_out(
    case, bangkok_paralegal, bangkok_coordinator, django_email
):
    with time_machine.travel(START, tick=False):
        deadline = deadline_add(
            actor=bangkok_paralegal, case_id=case.pk, kind=DeadlineKind.HEARING, due_at=START + timedelta(hours=4)
        )
    later = START + timedelta(days=1)
    with time_machine.travel(later, tick=False):
        run_periodic_rules(later)  # the escalation is written...
        deadline_set_status(actor=bangkok_paralegal, deadline_id=deadline.pk, status="met")  # ...and the hearing met
        send_due_reminders()

    assert emails_to(django_email, bangkok_coordinator) == []
    assert Notification.objects.filter(user=bangkok_coordinator).count() == 0
    [escalation] = Reminder.objects.filter(template="deadline_overdue", channel=ReminderChannel.EMAIL)
    assert escalation.last_error == "the deadline was marked met or cancelled before this reminder went out"


def test_a_case_nobody_touched_for_31_days_is_flagged_to_its_paralegal(case, bangkok_paralegal, django_email):
    beat_at(START + timedelta(days=31))

    [email] = emails_to(django_email, bangkok_paralegal)
    assert email.subject == f"Case {case.reference} has had no activity"
    assert email.body == (
        f"Nothing has been recorded on case {case.reference} for 31 days, since {date_format(date(2026, 3, 2))}."
        + link(case)
    )


def test_a_worker_leaving_in_5_days_is_an_urgent_reminder_with_the_date(
    bangkok, bangkok_coordinator, bangkok_paralegal, django_email
):
    with time_machine.travel(START, tick=False):
        case = assigned_case(bangkok, bangkok_coordinator, bangkok_paralegal, departure_date=date(2026, 3, 7))

    beat_at(START)

    [email] = [email for email in emails_to(django_email, bangkok_paralegal) if email.subject.startswith("Urgent")]
    assert email.subject == f"Urgent: the worker on case {case.reference} leaves the country in 5 days"
    assert email.body == (
        f"The worker on case {case.reference} is expected to leave the country on {date_format(date(2026, 3, 7))}"
        " (in 5 days)." + link(case)
    )


def test_a_worker_leaving_tomorrow_in_office_time_is_tomorrow_even_when_it_is_still_today_in_utc(
    bangkok, bangkok_coordinator, bangkok_paralegal, django_email
):
    late_evening_utc = datetime(2026, 3, 1, 20, 0, tzinfo=UTC)  # already 2 March, 03:00, in Bangkok
    with time_machine.travel(late_evening_utc, tick=False):
        case = assigned_case(bangkok, bangkok_coordinator, bangkok_paralegal, departure_date=date(2026, 3, 3))

    beat_at(late_evening_utc)

    [email] = [email for email in emails_to(django_email, bangkok_paralegal) if email.subject.startswith("Urgent")]
    assert email.subject == f"Urgent: the worker on case {case.reference} leaves the country tomorrow"


def test_an_instalment_is_reminded_two_days_ahead_and_again_when_missed_without_the_amount(
    case, bangkok_paralegal, django_email
):
    with time_machine.travel(START, tick=False):
        instalment_plan_create(
            actor=bangkok_paralegal, case_id=case.pk, currency="MYR", instalments=[(date(2026, 3, 4), INSTALMENT)]
        )

    beat_at(START)
    [due] = emails_to(django_email, bangkok_paralegal)
    django_email.clear()
    beat_at(START + timedelta(days=3))
    [missed] = emails_to(django_email, bangkok_paralegal)

    day = date_format(date(2026, 3, 4))
    assert due.subject == f"Case {case.reference}: an instalment is due in 2 days"
    assert due.body == f"An instalment on case {case.reference} is due on {day} (in 2 days)." + link(case)
    assert missed.subject == f"Case {case.reference}: an instalment was missed"
    assert missed.body == (
        f"The instalment on case {case.reference} due on {day} has not been recorded as paid." + link(case)
    )
    for email in (due, missed):
        assert "1250" not in email.body.replace(",", "").replace(".", "") and "MYR" not in email.body


def test_an_instalment_plan_made_the_day_before_says_tomorrow(case, bangkok_paralegal, django_email):
    with time_machine.travel(START, tick=False):
        instalment_plan_create(
            actor=bangkok_paralegal, case_id=case.pk, currency="MYR", instalments=[(date(2026, 3, 3), INSTALMENT)]
        )

    beat_at(START)

    [email] = emails_to(django_email, bangkok_paralegal)
    assert email.subject == f"Case {case.reference}: an instalment is due tomorrow"


def test_a_task_reminds_its_assignee_and_the_email_does_not_carry_its_title(
    case, bangkok, bangkok_paralegal, django_email
):
    colleague = UserFactory(office=bangkok)
    with time_machine.travel(datetime(2026, 3, 10, 12, 0, tzinfo=UTC), tick=False):
        task_add(
            actor=bangkok_paralegal,
            case_id=case.pk,
            title="Call Somchai back about the payslips",
            assignee=colleague,
            due_at=datetime(2026, 3, 12, 8, 0, tzinfo=UTC),  # 15:00 in Bangkok
        )

    with time_machine.travel(datetime(2026, 3, 11, 2, 0, tzinfo=UTC), tick=False):  # 09:00 the day before
        send_due_reminders()

    [email] = django_email
    assert email.to == [colleague.email]  # the assignee, not the case's paralegal
    due = date_format(datetime(2026, 3, 12, 15, 0, tzinfo=ZoneInfo("Asia/Bangkok")), "DATETIME_FORMAT")
    assert email.subject == f"Task on case {case.reference} is due tomorrow"
    assert email.body == (
        f"A task on case {case.reference} is due on {due} (Asia/Bangkok, UTC+7) (tomorrow). The app shows what it is."
        + link(case)
    )
    assert "Somchai" not in email.subject + email.body


def test_the_workers_status_notice_goes_by_sms_in_their_language_without_the_case_or_employer(
    bangkok, bangkok_coordinator, settings, tmp_path
):
    settings.SMS_BACKEND = "cases.deadlines.reminders.channels.FileBackend"
    settings.REMINDER_OUTBOX_DIR = tmp_path
    case = assigned_case(
        bangkok, bangkok_coordinator, UserFactory(office=bangkok), claimant=ClaimantFactory(preferred_language="es")
    )
    ContactChannel.objects.create(
        claimant=case.claimant, kind=ChannelKind.PHONE, value="+66 81 234 5678", consent=True, safe_to_contact=True
    )
    ConsentFactory(claimant=case.claimant, actor=bangkok_coordinator)

    case_advance(actor=bangkok_coordinator, case_id=case.pk, to_stage=Stage.EVIDENCE)
    send_due_reminders()

    [sent] = [json.loads(path.read_text("utf-8")) for path in tmp_path.glob("*.json")]
    assert sent["channel"] == "sms"
    assert sent["to"] == "+66 81 234 5678"
    assert sent["body"] == "Redress: Estamos reuniendo las pruebas de su reclamación."
    assert case.reference not in sent["body"] and "Acme" not in sent["body"]
