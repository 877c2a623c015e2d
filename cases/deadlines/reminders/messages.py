"""The text of a reminder: one vocabulary for what the rules write and what the messages read.

The rules (``cases.deadlines.reminders.rules``) build every ``Reminder.context`` with the ``*_context`` functions below,
and ``render`` reads the same keys, so a key cannot drift between writer and reader. A context value that is missing or
malformed is an error (the sweep records the reminder as failed), never an empty date in a sent message.

Only named, known context values are used (an instant and its office's time zone, a date, a day count, a deadline kind
from ``DeadlineKind``, a stage code), each formatted here with Django's localisation in the reader's language, so no
free text, PIN or amount can reach a message whatever ``Reminder.context`` holds (rule 12, docs/architecture.md). A
task's title is free text that may name the worker: the message says "task" and the app shows the title. Messages to the
worker never name the employer or the case reference: the phone may be shared.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from cases.core.office_time import localtime_in, office_zone, zone_label
from cases.core.stages import Stage
from cases.deadlines.models import DeadlineKind, StaffReminderKind

STATUS_NOTICE = "status_notice"
TEMPLATES = frozenset([*StaffReminderKind.values, STATUS_NOTICE])

# Eight digits in a row could be a PIN (cases.core.pins.PIN_LENGTH); nothing we render has one.
_PIN_LIKE = re.compile(r"\d{8}")


class UnknownTemplate(ValueError):
    pass


class BadContext(ValueError):
    """The context lacks a value its template needs (a bug in a rule, or a row written by an older version)."""


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    body: str


# What the rules write --------------------------------------------------------------------------------------------


def deadline_context(deadline, *, days_before: int | None = None) -> dict:
    """A deadline or task: its id, kind, due instant (UTC) and office zone; ``days_before`` for a reminder ahead."""
    context = {
        "deadline": deadline.pk,
        "kind": deadline.kind,
        "due_at": deadline.due_at.isoformat(),
        "zone": deadline.timezone,
    }
    if days_before is not None:
        context["days_before"] = days_before
    return context


def inactivity_context(case, *, since: datetime, days: int, zone: str) -> dict:
    """A quiet case: the last activity (or the opening) and how many days ago it was when the rule ran."""
    return {"case": case.pk, "since": since.isoformat(), "days": days, "zone": zone}


def departure_context(case, *, days_before: int, zone: str) -> dict:
    return {
        "case": case.pk,
        "departure_date": case.departure_date.isoformat(),
        "days_before": days_before,
        "zone": zone,
    }


def instalment_context(instalment, *, zone: str, days_before: int | None = None) -> dict:
    """An instalment's id and due date only: never its amount."""
    context = {"instalment": instalment.pk, "due_date": instalment.due_date.isoformat(), "zone": zone}
    if days_before is not None:
        context["days_before"] = days_before
    return context


def status_notice_context(stage: str) -> dict:
    """The worker's notice carries the stage and nothing else."""
    return {"stage": stage}


# Reading it back -------------------------------------------------------------------------------------------------


def _instant(context: dict, key: str) -> datetime:
    value = parse_datetime(str(context.get(key) or ""))
    if value is None or timezone.is_naive(value):
        raise BadContext(f"{key} is not an aware date-time")
    return value


def _day(context: dict, key: str) -> date:
    value = parse_date(str(context.get(key) or ""))
    if value is None:
        raise BadContext(f"{key} is not a date")
    return value


def _count(context: dict, key: str) -> int:
    value = context.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise BadContext(f"{key} is not a number of days")
    return value


def _zone(context: dict) -> str:
    return office_zone(str(context.get("zone") or "")).key


def _moment_text(instant: datetime, zone: str) -> str:
    """``15 de diciembre de 2026 a las 09:30 (Asia/Bangkok, UTC+7)``: office time, in the active language."""
    label = "UTC" if zone == "UTC" else zone_label(zone, at=instant)  # not "UTC, UTC"
    return pgettext("date and time zone", "%(date)s (%(zone)s)") % {
        "date": date_format(localtime_in(instant, zone), "DATETIME_FORMAT"),
        "zone": label,
    }


def _relative(days: int) -> str:
    if days == 0:
        return pgettext("reminder", "today")
    if days == 1:
        return pgettext("reminder", "tomorrow")
    return ngettext("in %(days)d day", "in %(days)d days", days) % {"days": days}


def _kind_label(kind) -> str:
    return str(DeadlineKind(kind).label) if kind in DeadlineKind.values else _("Deadline")


def _status_notice_text(stage: str) -> str:
    texts = {
        Stage.INTAKE: pgettext("status notice", "We have received your claim. A caseworker will contact you soon."),
        Stage.EVIDENCE: pgettext("status notice", "We are gathering the evidence for your claim."),
        Stage.ASSIGNMENT: pgettext("status notice", "A caseworker has been assigned to your claim."),
        Stage.REDRESS: pgettext("status notice", "Your claim is being pursued. We will tell you about any news."),
        Stage.CLOSED: pgettext("status notice", "Your claim has been closed. Contact us if you have questions."),
    }
    return texts.get(stage, pgettext("status notice", "There is news about your claim. Please contact us."))


def _deadline(reference: str, context: dict) -> tuple[str, str]:
    due = _instant(context, "due_at")
    when = _relative(_count(context, "days_before"))
    values = {"reference": reference, "due": _moment_text(due, _zone(context)), "when": when}
    if context.get("kind") == DeadlineKind.TASK:
        return (
            _("Task on case %(reference)s is due %(when)s") % values,
            _("A task on case %(reference)s is due on %(due)s (%(when)s). The app shows what it is.") % values,
        )
    values["kind"] = _kind_label(context.get("kind"))
    return (
        _("Case %(reference)s: %(kind)s %(when)s") % values,
        _("%(kind)s on case %(reference)s: %(due)s (%(when)s).") % values,
    )


def _overdue(reference: str, context: dict) -> tuple[str, str]:
    values = {"reference": reference, "due": _moment_text(_instant(context, "due_at"), _zone(context))}
    if context.get("kind") == DeadlineKind.TASK:
        return (
            _("Overdue: a task on case %(reference)s") % values,
            _("A task on case %(reference)s was due on %(due)s and is not marked done.") % values,
        )
    values["kind"] = _kind_label(context.get("kind"))
    return (
        _("Overdue: %(kind)s on case %(reference)s") % values,
        _("%(kind)s on case %(reference)s was due on %(due)s and is not marked met.") % values,
    )


def _inactive(reference: str, context: dict) -> tuple[str, str]:
    days = _count(context, "days")
    since = localtime_in(_instant(context, "since"), _zone(context))
    values = {"reference": reference, "days": days, "since": date_format(since, "DATE_FORMAT")}
    return (
        _("Case %(reference)s has had no activity") % values,
        ngettext(
            "Nothing has been recorded on case %(reference)s for %(days)d day, since %(since)s.",
            "Nothing has been recorded on case %(reference)s for %(days)d days, since %(since)s.",
            days,
        )
        % values,
    )


def _departure(reference: str, context: dict) -> tuple[str, str]:
    values = {
        "reference": reference,
        "date": date_format(_day(context, "departure_date"), "DATE_FORMAT"),
        "when": _relative(_count(context, "days_before")),
    }
    return (
        _("Urgent: the worker on case %(reference)s leaves the country %(when)s") % values,
        _("The worker on case %(reference)s is expected to leave the country on %(date)s (%(when)s).") % values,
    )


def _instalment_due(reference: str, context: dict) -> tuple[str, str]:
    values = {
        "reference": reference,
        "date": date_format(_day(context, "due_date"), "DATE_FORMAT"),
        "when": _relative(_count(context, "days_before")),
    }
    return (
        _("Case %(reference)s: an instalment is due %(when)s") % values,
        _("An instalment on case %(reference)s is due on %(date)s (%(when)s).") % values,
    )


def _instalment_missed(reference: str, context: dict) -> tuple[str, str]:
    values = {"reference": reference, "date": date_format(_day(context, "due_date"), "DATE_FORMAT")}
    return (
        _("Case %(reference)s: an instalment was missed") % values,
        _("The instalment on case %(reference)s due on %(date)s has not been recorded as paid.") % values,
    )


_STAFF = {
    StaffReminderKind.DEADLINE: _deadline,
    StaffReminderKind.OVERDUE: _overdue,
    StaffReminderKind.INACTIVE: _inactive,
    StaffReminderKind.DEPARTURE: _departure,
    StaffReminderKind.INSTALMENT_DUE: _instalment_due,
    StaffReminderKind.INSTALMENT_MISSED: _instalment_missed,
}


def case_url(case_id: int) -> str:
    """The case page's absolute address, for an email (``SITE_URL``)."""
    return f"{settings.SITE_URL.rstrip('/')}/cases/{int(case_id)}/"


def render(
    *, template: str, context: dict, language: str, case_reference: str = "", case_id: int | None = None
) -> RenderedMessage:
    """The subject and body for a reminder, translated into ``language``; a staff message ends with the case link.

    Raises ``UnknownTemplate`` for a template key this module does not know, ``BadContext`` when a value the template
    needs is missing, and ``ValueError`` if the text looks like it carries a PIN (a guard; the templates cannot
    produce one).
    """
    context = context or {}
    with translation.override(language):
        if template == STATUS_NOTICE:
            text = _status_notice_text(str(context.get("stage", "")))
            message = RenderedMessage(subject=_("Redress: news about your claim"), body=f"Redress: {text}")
        elif template in _STAFF:
            subject, body = _STAFF[template](case_reference, context)
            message = RenderedMessage(subject=subject, body=body)
        else:
            raise UnknownTemplate(template)
        if _PIN_LIKE.search(message.subject + message.body):
            raise ValueError("a reminder message looked like it contained a PIN; not sent")
        if template != STATUS_NOTICE and case_id is not None:
            link = _("Open the case: %(url)s") % {"url": case_url(case_id)}
            message = RenderedMessage(subject=message.subject, body=f"{message.body}\n\n{link}")
    return message


def staff_language(user) -> str:
    """The language a staff member reads the app and their reminders in: theirs, else the site's."""
    chosen = getattr(user, "language", "") or ""
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def reminder_language(reminder) -> str:
    """Staff: the recipient's language now (a change applies to reminders already written); the worker: the row's."""
    if reminder.recipient_user_id is not None and reminder.recipient_channel_id is None:
        return staff_language(reminder.recipient_user)
    return reminder.language or settings.LANGUAGE_CODE


def render_reminder(reminder) -> RenderedMessage:
    """``render`` for a ``Reminder`` row, in its recipient's language."""
    return render(
        template=reminder.template,
        context=reminder.context or {},
        language=reminder_language(reminder),
        case_reference=reminder.case.reference if reminder.case_id else "",
        case_id=reminder.case_id,
    )


def render_notification(notification, *, language: str) -> RenderedMessage:
    """The same text as the email, for the inbox (the caller links to the case in the app)."""
    return render(
        template=notification.template,
        context=notification.context or {},
        language=language,
        case_reference=notification.case.reference if notification.case_id else "",
    )
