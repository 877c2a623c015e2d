"""The staff inbox and each person's reminder settings: reads for the pages and the header, and the services.

Notifications are written by the reminder sweep (``cases.deadlines.reminders.sweep``), one per staff ``app`` reminder,
in the transaction that marks the reminder sent. A person reads only their own; the line shown is the reminder email's
subject, rendered by ``cases.deadlines.reminders.messages`` in the reader's language when the page is shown. A task's
title is free text kept out of email; the inbox shows it, read from the task, while the reader may see the case.

Pages are keyset-paginated on the ``(user, -created_at, -id)`` index: no OFFSET and no count over the inbox; the
unread count stops at ``UNREAD_CAP`` so the header badge costs the same for a person who never reads.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cases.core.errors import InvalidInput
from cases.core.models import Case
from cases.deadlines.models import Deadline, DeadlineKind, Notification, NotificationSetting, StaffReminderKind
from cases.deadlines.reminders.messages import render_notification

PAGE_SIZE = 25
UNREAD_CAP = 99
_CURSOR_SALT = "cases.inbox.cursor"


# Reads -------------------------------------------------------------------------------------------------------------


def unread_q(user):
    """The user's unread notifications (served by the partial index ``notification_unread``)."""
    return Notification.objects.filter(user=user).unread()


def unread_count(user, *, cap: int = UNREAD_CAP) -> int:
    """How many unread notifications ``user`` has, counted up to ``cap + 1`` (show "99+" above ``cap``)."""
    if user is None or not user.is_authenticated:
        return 0
    return unread_q(user)[: cap + 1].count()


def email_choices(user) -> dict[str, bool]:
    """For each kind of staff reminder, whether ``user`` also gets it by email (the default) or in the app only."""
    chosen = dict(NotificationSetting.objects.filter(user=user).values_list("template", "by_email"))
    return {kind: chosen.get(kind, True) for kind in StaffReminderKind.values}


def encode_cursor(notification: Notification) -> str:
    return signing.dumps([notification.created_at.isoformat(), notification.pk], salt=_CURSOR_SALT)


def decode_cursor(token: str) -> tuple[datetime, int]:
    """(created_at, id) of the last row of the previous page; ValueError for anything else."""
    try:
        created, pk = signing.loads(token, salt=_CURSOR_SALT)
        moment = datetime.fromisoformat(created)
        if timezone.is_naive(moment) or isinstance(pk, bool) or not isinstance(pk, int):
            raise ValueError
    except (signing.BadSignature, TypeError, ValueError) as error:
        raise ValueError("not an inbox page link") from error
    return moment, pk


@dataclass(frozen=True)
class InboxItem:
    notification: Notification
    line: str
    detail: str  # the first sentence of the email's body: which date, how many days
    case_id: int | None  # set only while the reader may see the case (the line links to it)
    task_title: str


def inbox_page(
    user, *, unread_only: bool = False, after: tuple[datetime, int] | None = None, size: int | None = None
) -> tuple[list[InboxItem], str]:
    """One page of ``user``'s notifications, newest first, and the link token of the next page ("" if none).

    Three queries whatever the page size: the page (with its cases), which of those cases the user may still see,
    and the titles of the tasks among them.
    """
    size = size or PAGE_SIZE
    rows = Notification.objects.filter(user=user).select_related("case").order_by("-created_at", "-id")
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    if after is not None:
        created, pk = after
        rows = rows.filter(Q(created_at__lt=created) | Q(created_at=created, id__lt=pk))
    page = list(rows[: size + 1])
    next_cursor = encode_cursor(page[size - 1]) if len(page) > size else ""
    page = page[:size]

    case_ids = {row.case_id for row in page if row.case_id}
    visible = (
        set(Case.objects.visible_to(user).filter(pk__in=case_ids).values_list("pk", flat=True)) if case_ids else set()
    )
    task_ids = {
        row.context.get("deadline")
        for row in page
        if row.case_id in visible and row.context.get("kind") == DeadlineKind.TASK
    }
    task_ids = {pk for pk in task_ids if isinstance(pk, int)}
    titles = (
        dict(
            Deadline.objects.filter(pk__in=task_ids, kind=DeadlineKind.TASK, case_id__in=visible).values_list(
                "pk", "title"
            )
        )
        if task_ids
        else {}
    )
    language = get_language() or settings.LANGUAGE_CODE  # the page's: the header switcher's, or the saved one
    items = [
        InboxItem(
            notification=row,
            line=(text := _text(row, language))[0],
            detail=text[1],
            case_id=row.case_id if row.case_id in visible else None,
            task_title=titles.get(row.context.get("deadline"), "") if row.case_id in visible else "",
        )
        for row in page
    ]
    return items, next_cursor


def _text(notification: Notification, language: str) -> tuple[str, str]:
    """The email's subject and the first line of its body (the link to the case is the page's own)."""
    try:
        message = render_notification(notification, language=language)
    except ValueError:  # an old or damaged row: still listed, without a wrong date
        reference = notification.case.reference if notification.case_id else ""
        return _("A reminder about case %(reference)s") % {"reference": reference}, ""
    return message.subject, message.body.strip().split("\n", 1)[0]


# Services ----------------------------------------------------------------------------------------------------------


@transaction.atomic
def notification_mark_read(*, actor, notification_id: int) -> Notification:
    """Mark one of ``actor``'s notifications read (again: a no-op). Another person's: ``Notification.DoesNotExist``."""
    notification = Notification.objects.select_for_update().get(pk=notification_id, user=actor)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, actor, until: datetime | None = None) -> int:
    """Mark ``actor``'s unread notifications read, only those received by ``until`` when given (the moment the
    inbox was shown, so one that arrived since stays unread). Returns how many."""
    unread = unread_q(actor)
    if until is not None:
        unread = unread.filter(created_at__lte=until)
    return unread.update(read_at=timezone.now())


def user_language_set(*, actor, language: str) -> None:
    """Save the language ``actor`` reads the app and their reminders in (``User.language``)."""
    if language not in dict(settings.LANGUAGES):
        raise InvalidInput(_("Choose one of the languages offered."))
    if actor.language != language:
        actor.language = language
        actor.save(update_fields=["language"])


@transaction.atomic
def notification_settings_save(*, actor, by_email: dict[str, bool], language: str) -> None:
    """Save ``actor``'s choice per kind of reminder (in the app only, or also by email) and their language.

    The choice applies to reminders already scheduled: the sweep reads it when an email falls due.
    """
    unknown = set(by_email) - set(StaffReminderKind.values)
    if unknown:
        raise InvalidInput(_("Unknown kind of reminder: %(kinds)s") % {"kinds": ", ".join(sorted(unknown))})
    for template, wanted in by_email.items():
        NotificationSetting.objects.update_or_create(user=actor, template=template, defaults={"by_email": wanted})
    user_language_set(actor=actor, language=language)
