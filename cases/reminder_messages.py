"""The text of a reminder, rendered from its template key and context in its language.

Only named, known context values are used (dates, day counts, a deadline kind, a stage code), each formatted here, so
no free text, PIN or amount can reach a message whatever the rules put in ``Reminder.context`` (STYLE rule 12).
Messages to the worker never name the employer or the case reference: the phone may be shared.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .stages import Stage

# Eight digits in a row could be a PIN (cases.pins.PIN_LENGTH); nothing we render has one.
_PIN_LIKE = re.compile(r"\d{8}")


class UnknownTemplate(ValueError):
    pass


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    body: str


def _when(value) -> str:
    """A date or date-time from the context (ISO string or object), formatted for the active language."""
    if isinstance(value, str):
        value = parse_datetime(value) or parse_date(value)
    if isinstance(value, datetime):
        return date_format(value, "DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "DATE_FORMAT")
    return ""


def _days(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _status_notice_text(stage: str) -> str:
    texts = {
        Stage.INTAKE: pgettext("status notice", "We have received your claim. A caseworker will contact you soon."),
        Stage.EVIDENCE: pgettext("status notice", "We are gathering the evidence for your claim."),
        Stage.ASSIGNMENT: pgettext("status notice", "A caseworker has been assigned to your claim."),
        Stage.REDRESS: pgettext("status notice", "Your claim is being pursued. We will tell you about any news."),
        Stage.CLOSED: pgettext("status notice", "Your claim has been closed. Contact us if you have questions."),
    }
    return texts.get(stage, pgettext("status notice", "There is news about your claim. Please contact us."))


def _staff_message(template: str, reference: str, context: dict) -> RenderedMessage:
    kind = str(context.get("kind_label") or context.get("kind") or _("deadline"))[:80]
    due = _when(context.get("due"))
    days = _days(context.get("days"))
    if template == "deadline":
        if days:
            subject = _("Case %(reference)s: %(kind)s in %(days)d days") % {
                "reference": reference,
                "kind": kind,
                "days": days,
            }
        else:
            subject = _("Case %(reference)s: %(kind)s is due today") % {"reference": reference, "kind": kind}
        body = _("The %(kind)s for case %(reference)s is due on %(due)s.") % {
            "kind": kind,
            "reference": reference,
            "due": due,
        }
    elif template == "overdue":
        subject = _("Overdue: %(kind)s on case %(reference)s") % {"kind": kind, "reference": reference}
        body = _("The %(kind)s for case %(reference)s was due on %(due)s and is not marked met.") % {
            "kind": kind,
            "reference": reference,
            "due": due,
        }
    elif template == "inactivity":
        subject = _("Case %(reference)s has had no activity") % {"reference": reference}
        body = _("Nothing has been recorded on case %(reference)s for %(days)d days.") % {
            "reference": reference,
            "days": days or 0,
        }
    elif template == "departure":
        subject = _("Urgent: the worker on case %(reference)s leaves soon") % {"reference": reference}
        body = _("The worker on case %(reference)s is expected to leave the country on %(due)s.") % {
            "reference": reference,
            "due": due,
        }
    elif template == "instalment_due":
        subject = _("Case %(reference)s: an instalment is due") % {"reference": reference}
        body = _("An instalment on case %(reference)s is due on %(due)s.") % {"reference": reference, "due": due}
    elif template == "instalment_missed":
        subject = _("Case %(reference)s: an instalment was missed") % {"reference": reference}
        body = _("The instalment on case %(reference)s due on %(due)s has not been recorded as paid.") % {
            "reference": reference,
            "due": due,
        }
    else:
        raise UnknownTemplate(template)
    return RenderedMessage(subject=subject, body=body)


def render(*, template: str, context: dict, language: str, case_reference: str = "") -> RenderedMessage:
    """The subject and body for a reminder, translated into ``language``.

    Raises ``UnknownTemplate`` for a template key this module does not know, and ``ValueError`` if the result looks
    like it carries a PIN (a guard; the templates cannot produce one).
    """
    with translation.override(language):
        if template == "status_notice":
            text = _status_notice_text(str(context.get("stage", "")))
            message = RenderedMessage(subject=_("Redress: news about your claim"), body=f"Redress: {text}")
        else:
            message = _staff_message(template, case_reference, context)
    if _PIN_LIKE.search(message.subject + message.body):
        raise ValueError("a reminder message looked like it contained a PIN; not sent")
    return message


def render_reminder(reminder) -> RenderedMessage:
    """``render`` for a ``Reminder`` row."""
    reference = reminder.case.reference if reminder.case_id else ""
    return render(
        template=reminder.template,
        context=reminder.context or {},
        language=reminder.language or "en",
        case_reference=reference,
    )
