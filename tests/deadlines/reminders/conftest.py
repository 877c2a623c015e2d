"""Reminder fixtures: channels to memory, a clean in-memory outbox, and reminders written by the rules themselves.

No test builds a reminder or its context by hand (rule 13 in docs/architecture.md): ``make_reminder`` enters a hearing
through ``cases.deadlines.services.deadlines.deadline_add`` and returns a row the reminder rules wrote for it, and
``notice`` asks the status notice rule for the worker's message.
"""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from cases.core.office_time import local_to_utc, office_zone
from cases.core.services.cases import case_assign
from cases.core.stages import Stage
from cases.deadlines.reminders import channels
from cases.deadlines.reminders import rules as reminder_rules
from cases.deadlines.services.deadlines import deadline_add
from cases.deadlines.tasks import run_periodic_rules
from cases.models import Case, DeadlineKind, Reminder, ReminderChannel, RespondentKind
from cases.money.services.ledger import instalment_plan_create
from claimants.models import ChannelKind, ContactChannel
from tests.factories import CaseFactory, ClaimantFactory, OfficeFactory, RespondentFactory, UserFactory

EMPLOYER = "Acme Plantations Sdn Bhd"
INSTALMENT = Decimal("1250.00")


@pytest.fixture(autouse=True)
def daytime():
    """Reminder tests start at 10:00 UTC on a Monday (the clock runs on), so that a staff reminder made "now" falls
    on its own day in the offices' zones; tests that need another moment travel there themselves."""
    with time_machine.travel(datetime(2026, 5, 4, 10, 0, tzinfo=UTC), tick=True):
        yield


@pytest.fixture(autouse=True)
def locmem_channels(settings):
    settings.REMINDER_EMAIL_BACKEND = "cases.deadlines.reminders.channels.LocmemBackend"
    settings.SMS_BACKEND = "cases.deadlines.reminders.channels.LocmemBackend"
    settings.WHATSAPP_BACKEND = "cases.deadlines.reminders.channels.LocmemBackend"
    channels.outbox.clear()
    yield channels.outbox
    channels.outbox.clear()


@pytest.fixture
def django_email(settings, mailoutbox):
    """Staff reminders through the real email backend into Django's locmem outbox (``mail.outbox``)."""
    settings.REMINDER_EMAIL_BACKEND = "cases.deadlines.reminders.channels.EmailBackend"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return mailoutbox


@pytest.fixture
def case(office_a, coordinator_a, paralegal_a):
    return CaseFactory(office=office_a, actor=coordinator_a)


@pytest.fixture
def safe_phone(case):
    return ContactChannel.objects.create(
        claimant=case.claimant, kind=ChannelKind.PHONE, value="+60 12 345 6789", consent=True, safe_to_contact=True
    )


def last_morning(zone_name: str):
    """The latest 09:00 in the office's zone that has passed (the time staff reminders fall due)."""
    local = timezone.now().astimezone(office_zone(zone_name))
    day = local.date() if local.time() >= reminder_rules.REMIND_AT else local.date() - timedelta(days=1)
    return local_to_utc(day, reminder_rules.REMIND_AT, zone_name)


def make_reminder(case, *, channel=ReminderChannel.EMAIL) -> Reminder:
    """A staff reminder that is due, written by the rules: "hearing in 14 days" for a hearing entered just before
    the latest 09:00 (office time) that has passed. The next reminder of that hearing is a week away.

    Each staff reminder is two rows (in the app, and by email); this returns the one on ``channel``. The hearing is
    entered by the case's opener, a coordinator of its office; the reminder goes to the case's paralegal, or to the
    office's coordinators while nobody is assigned.
    """
    morning = last_morning(case.office.timezone)
    assert timezone.now() - morning < timedelta(hours=15), "call make_reminder during the office's day (after 09:00)"
    with time_machine.travel(morning - timedelta(minutes=1), tick=False):
        deadline = deadline_add(
            actor=case.opened_by,
            case_id=case.pk,
            kind=DeadlineKind.HEARING,
            due_at=morning + timedelta(days=14, hours=1),
        )
    return Reminder.objects.get(idempotency_key__startswith=f"deadline:{deadline.pk}:14:", channel=channel)


def notice(case, channel: ContactChannel, stage=Stage.EVIDENCE) -> Reminder:
    """The worker's status notice on ``channel``, as the rule writes it when the case moves to ``stage``."""
    reminder_rules.status_notice(case, stage)
    return Reminder.objects.get(case=case, template="status_notice", recipient_channel=channel)


# An office in Bangkok (UTC+7, no daylight saving) with its people, and a case assigned there ---------------------


@pytest.fixture
def bangkok(db):
    return OfficeFactory(name="Bangkok", country="TH", city="Bangkok", timezone="Asia/Bangkok")


@pytest.fixture
def bangkok_coordinator(bangkok):
    return UserFactory(username="coordinator_bkk", coordinator=True, office=bangkok)


@pytest.fixture
def bangkok_paralegal(bangkok):
    return UserFactory(username="paralegal_bkk", office=bangkok)


def assigned_case(office, coordinator, paralegal, **fields) -> Case:
    """A case opened in ``office`` against Acme Plantations and assigned to ``paralegal`` by ``coordinator``."""
    fields.setdefault("respondents", [(RespondentFactory(name=EMPLOYER), RespondentKind.EMPLOYER)])
    case = CaseFactory(office=office, actor=coordinator, **fields)
    case_assign(actor=coordinator, case_id=case.pk, assignee=paralegal)
    return Case.objects.select_related("office").get(pk=case.pk)


ONE_OF_EACH_START = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # 10:00 in Bangkok


@pytest.fixture
def one_of_each(bangkok, bangkok_coordinator, bangkok_paralegal):
    """At least one reminder of every template, each written by its rule: a Bangkok case against Acme Plantations
    whose worker leaves in 4 days, with a hearing, instalments of 1,250.00 MYR (the first missed) and a safe phone,
    left quiet for 45 days. Returns the email and SMS rows (the in-app rows carry the same contexts)."""
    start = ONE_OF_EACH_START
    with time_machine.travel(start, tick=False):
        case = assigned_case(
            bangkok,
            bangkok_coordinator,
            bangkok_paralegal,
            departure_date=date(2026, 3, 6),
            claimant=ClaimantFactory(preferred_language="es"),
        )
        ContactChannel.objects.create(
            claimant=case.claimant, kind=ChannelKind.PHONE, value="+66 81 234 5678", consent=True, safe_to_contact=True
        )
        deadline_add(
            actor=bangkok_paralegal, case_id=case.pk, kind=DeadlineKind.HEARING, due_at=start + timedelta(days=20)
        )
        instalment_plan_create(
            actor=bangkok_paralegal,
            case_id=case.pk,
            currency="MYR",
            instalments=[(date(2026, 3, 4), INSTALMENT), (date(2026, 4, 30), INSTALMENT)],
        )
        run_periodic_rules(start)  # the worker leaves in 4 days; an instalment is due in 2
        reminder_rules.status_notice(case, Stage.EVIDENCE)
    run_periodic_rules(start + timedelta(days=3))  # the instalment was missed
    run_periodic_rules(start + timedelta(days=21))  # the hearing passed unmarked: escalated
    run_periodic_rules(start + timedelta(days=45))  # nobody has touched the case for 45 days
    return list(
        Reminder.objects.filter(case=case)
        .exclude(channel=ReminderChannel.APP)
        .select_related("case", "recipient_user")
        .order_by("pk")
    )
