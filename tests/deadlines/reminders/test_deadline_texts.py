"""Deadline reminders read right, end to end: a hearing entered through ``deadline_add``, the rows the rules wrote,
the sweep at each reminder's time, and the email Django sent — its date and time in the office's zone with the zone's
label, "in 14 days" … "today", the case reference and link, the kind in the recipient's language."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation
from django.utils.formats import date_format

from cases.deadlines.reminders.sweep import send_due_reminders
from cases.deadlines.services.deadlines import deadline_add
from cases.deadlines.services.notifications import user_language_set
from cases.models import DeadlineKind, Reminder, ReminderChannel
from tests.factories import OfficeFactory, UserFactory

from .conftest import assigned_case

pytestmark = pytest.mark.django_db

ADDED = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
HEARING = datetime(2026, 12, 15, 2, 30, tzinfo=UTC)  # 09:30 in Bangkok (UTC+7)
# When each reminder falls due (09:00 in Bangkok) and what it says.
SCHEDULE = [
    (datetime(2026, 12, 1, 2, 0, tzinfo=UTC), "in 14 days"),
    (datetime(2026, 12, 8, 2, 0, tzinfo=UTC), "in 7 days"),
    (datetime(2026, 12, 13, 2, 0, tzinfo=UTC), "in 2 days"),
    (datetime(2026, 12, 14, 2, 0, tzinfo=UTC), "tomorrow"),
    (datetime(2026, 12, 15, 2, 0, tzinfo=UTC), "today"),
]


def sweep_at(moment):
    with time_machine.travel(moment, tick=False):
        return send_due_reminders()


def local_text(year, month, day, hour, minute, zone, language="en"):
    """How Django writes that local date and time in ``language`` (built here, not by the code under test)."""
    with translation.override(language):
        return date_format(datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(zone)), "DATETIME_FORMAT")


@pytest.fixture
def case(bangkok, bangkok_coordinator, bangkok_paralegal):
    return assigned_case(bangkok, bangkok_coordinator, bangkok_paralegal)


def test_a_bangkok_hearing_is_reminded_14_7_2_1_days_before_and_on_the_day_in_office_time(
    case, bangkok_paralegal, django_email
):
    with time_machine.travel(ADDED, tick=False):
        deadline_add(actor=bangkok_paralegal, case_id=case.pk, kind=DeadlineKind.HEARING, due_at=HEARING)
    hearing = local_text(2026, 12, 15, 9, 30, "Asia/Bangkok")
    assert "9:30" in hearing  # the office's 09:30, not the stored 02:30 UTC

    for moment, when in SCHEDULE:
        assert sweep_at(moment - timedelta(minutes=1)) == {}  # not a minute early
        django_email.clear()
        assert sweep_at(moment) == {"sent": 2}  # the inbox and the email
        [email] = django_email
        assert email.to == [bangkok_paralegal.email]
        assert email.subject == f"Case {case.reference}: Hearing {when}"
        assert email.body == (
            f"Hearing on case {case.reference}: {hearing} (Asia/Bangkok, UTC+7) ({when}).\n\n"
            f"Open the case: http://127.0.0.1:8000/cases/{case.pk}/"
        )


def test_the_link_in_the_email_uses_the_site_url(case, bangkok_paralegal, django_email, settings):
    settings.SITE_URL = "https://redress.example.org"
    with time_machine.travel(ADDED, tick=False):
        deadline_add(actor=bangkok_paralegal, case_id=case.pk, kind=DeadlineKind.HEARING, due_at=HEARING)

    sweep_at(SCHEDULE[0][0])

    [email] = django_email
    assert email.body.endswith(f"Open the case: https://redress.example.org/cases/{case.pk}/")


def test_a_recipient_who_reads_spanish_gets_the_kind_and_the_date_in_spanish_even_for_reminders_written_before(
    case, bangkok_paralegal, django_email
):
    with time_machine.travel(ADDED, tick=False):
        deadline_add(actor=bangkok_paralegal, case_id=case.pk, kind=DeadlineKind.HEARING, due_at=HEARING)
    user_language_set(actor=bangkok_paralegal, language="es")  # after the reminders were written

    sweep_at(SCHEDULE[0][0])

    [email] = django_email
    assert "Audiencia" in email.subject
    assert "15 de diciembre de 2026 a las 09:30 (Asia/Bangkok, UTC+7)" in email.body
    assert Reminder.objects.get(channel=ReminderChannel.EMAIL, status="sent").language == "es"


def test_a_madrid_hearing_after_the_clocks_go_forward_is_reminded_at_9_local_on_both_sides_of_the_change(
    django_email,
):
    madrid = OfficeFactory(name="Madrid", country="ES", city="Madrid", timezone="Europe/Madrid")
    coordinator = UserFactory(coordinator=True, office=madrid)
    paralegal = UserFactory(office=madrid)
    case = assigned_case(madrid, coordinator, paralegal)
    hearing = datetime(2027, 3, 30, 7, 30, tzinfo=UTC)  # 09:30 CEST (UTC+2); the clocks go forward on 28 March
    with time_machine.travel(datetime(2027, 3, 10, 12, 0, tzinfo=UTC), tick=False):
        deadline_add(actor=paralegal, case_id=case.pk, kind=DeadlineKind.HEARING, due_at=hearing)

    due_times = list(
        Reminder.objects.filter(case=case, template="deadline", channel=ReminderChannel.EMAIL, context__kind="hearing")
        .order_by("due_at")
        .values_list("due_at", flat=True)
    )
    assert due_times == [
        datetime(2027, 3, 16, 8, 0, tzinfo=UTC),  # 09:00 CET (UTC+1)
        datetime(2027, 3, 23, 8, 0, tzinfo=UTC),
        datetime(2027, 3, 28, 7, 0, tzinfo=UTC),  # 09:00 CEST (UTC+2)
        datetime(2027, 3, 29, 7, 0, tzinfo=UTC),
        datetime(2027, 3, 30, 7, 0, tzinfo=UTC),
    ]
    local = local_text(2027, 3, 30, 9, 30, "Europe/Madrid")
    for moment, when in zip(due_times, ["in 14 days", "in 7 days", "in 2 days", "tomorrow", "today"], strict=True):
        django_email.clear()
        sweep_at(moment)
        [email] = django_email
        assert email.subject == f"Case {case.reference}: Hearing {when}"
        # Sent in winter time or in summer time, the hearing is at 09:30 summer time, with the summer offset.
        assert f"{local} (Europe/Madrid, UTC+2) ({when})." in email.body


def test_a_reminder_that_could_not_go_out_on_its_day_is_dropped_rather_than_name_the_wrong_day(
    case, bangkok_paralegal, django_email
):
    with time_machine.travel(ADDED, tick=False):
        deadline_add(actor=bangkok_paralegal, case_id=case.pk, kind=DeadlineKind.HEARING, due_at=HEARING)

    # The workers were down on 13 December (the "in 2 days" reminder's day); they are back at 09:00 on the 14th.
    sweep_at(SCHEDULE[1][0])  # "in 7 days" on the 8th, as planned
    django_email.clear()
    assert sweep_at(SCHEDULE[3][0]) == {"cancelled": 2, "sent": 2}

    [email] = django_email
    assert email.subject == f"Case {case.reference}: Hearing tomorrow"
    late = Reminder.objects.get(channel=ReminderChannel.EMAIL, context__days_before=2)
    assert late.status == "cancelled"
    assert late.last_error == "meant for 2026-12-13 (Asia/Bangkok); sent later it would name the wrong day"
