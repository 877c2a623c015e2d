"""Retention: removing a worker's personal data when the retention period after closing ends, or at once when the
worker asks for erasure (docs/security.md, "Retention and erasure").

Anonymising a case blanks every free text written about it (summary, outcome reason, notes and reasons on the
timeline, deadlines, tasks, ledger entries, calculation inputs, evidence descriptions, filing snapshots), clears its
status-check PIN, deletes the worker's "my number changed" requests and cancels its reminders; the documents app
deletes the stored files (``case_anonymising``). What the statistics count stays exactly as it was: office, country
of work, sector, stages, outcome, dates opened and closed, respondents, every ledger amount, and the worker's gender
and nationality. The worker's own record (name, identity document, addresses, alternate contact, contact channels)
is anonymised with the last of their cases: a worker with another case still within its period keeps it until then.

Each case is anonymised in its own transaction under its row lock; the worker's row is locked first (the order
every path here takes), so the sweep and an erasure request cannot deadlock or both anonymise. A case already
anonymised is left alone: running it again changes nothing.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.audit.models import AccessKind, Via
from cases.audit.services import record_worker_access
from cases.core.errors import GuardFailed, IllegalTransition, InvalidInput, NotPermitted
from cases.core.models import Case, CaseEvent, EventKind
from cases.core.signals import case_anonymising
from cases.core.stages import Stage
from cases.deadlines.models import Deadline, DeadlineKind, Notification, Reminder, ReminderStatus
from cases.money.models import (
    CalculationSettings,
    CalculationSnapshot,
    InstalmentPlan,
    LedgerEntry,
    OneOffItemRow,
    PayPeriodRow,
)
from cases.portal.models import PhoneChangeRequest
from claimants.models import ANONYMISED_NAME, Claimant, ConsentRecord
from paralegals.models import Office

logger = logging.getLogger(__name__)

# A task must keep a title (a database constraint): what an anonymised task's title becomes.
ANONYMISED_TEXT = "—"
REASON_MAX_LENGTH = 1000


class Cause(models.TextChoices):
    RETENTION = "retention", gettext_lazy("Retention period ended")
    ERASURE = "erasure", gettext_lazy("Erasure request")


# --- Which cases are due ------------------------------------------------------------------------------------------


def retention_due(now: datetime) -> models.QuerySet:
    """Closed cases not yet anonymised whose retention period has ended by ``now``: the office's
    ``retention_days``, or the site's ``RETENTION_DAYS_AFTER_CLOSE``, counted from ``Case.closed_at``.

    Open cases are never due, whatever their age. With ``RETENTION_DAYS_AFTER_CLOSE`` 0 (off) nothing is due, offices'
    own periods included: the site's switch is the operator's.
    """
    site_days = settings.RETENTION_DAYS_AFTER_CLOSE
    if not site_days:
        return Case.objects.none()
    own = dict(Office.objects.filter(retention_days__isnull=False).values_list("pk", "retention_days"))
    due = ~models.Q(office_id__in=own) & models.Q(closed_at__lt=now - timedelta(days=site_days))
    for office_id, days in own.items():
        due |= models.Q(office_id=office_id, closed_at__lt=now - timedelta(days=days))
    return Case.objects.filter(due, stage=Stage.CLOSED, anonymised_at__isnull=True, closed_at__isnull=False)


@dataclass(frozen=True)
class OfficeDue:
    office_id: int
    office: str
    cases: int
    oldest_closed_at: datetime


@dataclass(frozen=True)
class RetentionReport:
    """What a sweep at ``now`` would anonymise: counts per office, the oldest close, the case ids. No personal data
    (not even references: a worker keeps theirs on paper)."""

    now: datetime
    days: int
    offices: list[OfficeDue] = field(default_factory=list)
    case_ids: list[int] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(office.cases for office in self.offices)

    @property
    def oldest_closed_at(self) -> datetime | None:
        return min((office.oldest_closed_at for office in self.offices), default=None)


def retention_report(now: datetime, *, with_ids: bool = True) -> RetentionReport:
    """The dry run: what ``retention_sweep(now)`` would anonymise, changing nothing."""
    due = retention_due(now)
    rows = (
        due.values("office_id", "office__name")
        .annotate(n=models.Count("pk"), oldest=models.Min("closed_at"))
        .order_by("office__name", "office_id")
    )
    offices = [OfficeDue(row["office_id"], row["office__name"], row["n"], row["oldest"]) for row in rows]
    ids = list(due.order_by("closed_at", "pk").values_list("pk", flat=True)) if with_ids else []
    return RetentionReport(now=now, days=settings.RETENTION_DAYS_AFTER_CLOSE, offices=offices, case_ids=ids)


# --- Anonymising ----------------------------------------------------------------------------------------------------


def _lock_claimant(claimant_id: int) -> Claimant:
    return Claimant.objects.select_for_update().get(pk=claimant_id)


def _lock_case(actor, case_id: int) -> Case:
    if actor is None:  # the sweep: the system acts on every office
        return Case.objects.select_for_update(of=("self",)).get(pk=case_id)
    return Case.objects.lock_for(actor, case_id)


def _blank_case(case: Case, now: datetime) -> None:
    """The case's own personal texts, and every row of the packages the case is built from."""
    case.summary = case.outcome_reason = case.job_title = case.pin_hash = ""
    case.work_started_on = case.work_ended_on = case.departure_date = None
    case.intake_token = None
    case.anonymised_at = now
    case.save_bumping_version(
        [
            "summary",
            "outcome_reason",
            "job_title",
            "pin_hash",
            "work_started_on",
            "work_ended_on",
            "departure_date",
            "intake_token",
            "anonymised_at",
        ]
    )
    CaseEvent.objects.filter(case=case).redact_texts()
    # Money: the figures stay (statistics and totals), the words go.
    LedgerEntry.objects.filter(case=case).redact_texts()
    CalculationSnapshot.objects.filter(case=case).redact_texts()
    CalculationSettings.objects.filter(case=case).exclude(basis_note="").update(basis_note="")
    PayPeriodRow.objects.filter(case=case).update(label="", deductions_note="")
    OneOffItemRow.objects.filter(case=case).update(description="")
    InstalmentPlan.objects.filter(case=case).exclude(note="").update(note="")
    # Deadlines and tasks: kinds, dates and statuses stay.
    Deadline.objects.filter(case=case).exclude(kind=DeadlineKind.TASK).update(note="", title="", status_reason="")
    Deadline.objects.filter(case=case, kind=DeadlineKind.TASK).update(note="", title=ANONYMISED_TEXT, status_reason="")
    # Nothing more is sent about the case; what was sent keeps its time and status, not its values or errors.
    Reminder.objects.filter(case=case, status=ReminderStatus.PENDING).update(status=ReminderStatus.CANCELLED)
    Reminder.objects.filter(case=case).update(context={}, last_error="")
    Notification.objects.filter(case=case).delete()
    PhoneChangeRequest.objects.filter(case=case).delete()


_CLAIMANT_TEXTS = (
    "preferred_language",
    "home_country_address",
    "alternate_contact_name",
    "alternate_contact_relationship",
    "alternate_contact_phone",
    "id_document_type",
    "id_document_number",
)


def _blank_claimant(claimant: Claimant, now: datetime) -> None:
    """The worker's record: only what the statistics group by (gender, nationality) stays."""
    claimant.full_name = ANONYMISED_NAME
    claimant.preferred_language = ""
    claimant.home_country_address = ""
    claimant.alternate_contact_name = claimant.alternate_contact_relationship = claimant.alternate_contact_phone = ""
    claimant.id_document_type = claimant.id_document_number = ""
    claimant.anonymised_at = now
    claimant.save(update_fields=["full_name", *_CLAIMANT_TEXTS, "anonymised_at", "updated_at"])
    # Deleting the channels also deletes the reminders addressed to them (and those reminders' notifications).
    claimant.channels.all().delete()
    # The consent log stays (what was agreed, how, when, by whom recorded): its notes go.
    ConsentRecord.objects.filter(claimant=claimant).exclude(note="").update(note="")


def _anonymise_locked(case: Case, *, actor, reason: str, cause: str, now: datetime) -> None:
    case_anonymising.send(sender=Case, case=case, actor=actor)  # documents: rows blanked, files deleted on commit
    _blank_case(case, now)
    CaseEvent.objects.create(case=case, actor=actor, kind=EventKind.ANONYMISED, reason=reason, payload={"cause": cause})


def _holds_personal_data(claimant: Claimant) -> bool:
    """An anonymised worker who came back (intake attached a new case to the record and filled it in again)."""
    if claimant.full_name != ANONYMISED_NAME or any(getattr(claimant, name) for name in _CLAIMANT_TEXTS):
        return True
    return claimant.channels.exists()


def _anonymise_claimant_if_last(claimant: Claimant, now: datetime) -> bool:
    if claimant.cases.filter(anonymised_at__isnull=True).exists():
        return False
    if claimant.anonymised_at is not None and not _holds_personal_data(claimant):
        return False
    _blank_claimant(claimant, now)
    return True


@transaction.atomic
def case_anonymise(*, actor, case: Case, reason: str = "", cause: str = Cause.RETENTION) -> bool:
    """Remove the personal data of the closed ``case``, and of its worker when this was their last case not yet
    anonymised. ``actor`` is None for the retention sweep. Returns False (changing nothing) when the case was
    anonymised already.

    A case that is open is refused: its data is still in use.
    """
    claimant = _lock_claimant(case.claimant_id)
    case = _lock_case(actor, case.pk)
    if actor is not None and not actor.is_coordinator:
        raise NotPermitted(_("Only a coordinator can remove a case's personal data."))
    if case.anonymised_at is not None:
        return False
    if case.stage != Stage.CLOSED:
        raise IllegalTransition(_("Close the case before removing its personal data."), current_stage=case.stage)
    now = timezone.now()
    _anonymise_locked(case, actor=actor, reason=reason, cause=cause, now=now)
    _anonymise_claimant_if_last(claimant, now)
    return True


# --- Erasure requests -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Erasure:
    """What an erasure request did: the cases anonymised now (ids), and whether the worker's record was."""

    case_ids: list[int]
    claimant_anonymised: bool


def record_erasure_in_access_log(*, actor, claimant: Claimant, address: str | None, erasure: Erasure) -> None:
    """The read audit's record of an erasure request: who erased the worker, from where, and against which cases
    (one INSERT). The reason is on each case's ``anonymised`` event; the access log names ids only."""
    record_worker_access(
        user=actor,
        address=address,
        what=AccessKind.WORKER_ERASED,
        via=Via.WEB,
        claimant_id=claimant.pk,
        case_ids=erasure.case_ids,
    )


@transaction.atomic
def claimant_erase(*, actor, claimant: Claimant, reason: str, address: str | None = None) -> Erasure:
    """A worker's erasure request: anonymise every one of their cases and their record now, before any retention
    period ends. A coordinator (or admin) who may see all of the worker's cases records it with a reason.

    Refused while any of the worker's cases is open: whoever handles it closes it first (with an outcome), so a
    live claim is never emptied by accident. A worker already anonymised changes nothing.
    """
    if not actor.is_coordinator:
        raise NotPermitted(_("Only a coordinator can carry out an erasure request."))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Say how and when the worker asked for their data to be erased."))
    if len(reason) > REASON_MAX_LENGTH:
        raise InvalidInput(_("The reason is too long (at most %(max)d characters).") % {"max": REASON_MAX_LENGTH})
    claimant = _lock_claimant(claimant.pk)
    case_ids = list(claimant.cases.order_by("pk").values_list("pk", flat=True))
    if Case.objects.visible_to(actor).filter(pk__in=case_ids).count() != len(case_ids):
        raise NotPermitted(_("The worker has cases in another office: ask an administrator to erase their data."))
    cases = [_lock_case(actor, case_id) for case_id in case_ids]
    still_open = [case for case in cases if case.stage != Stage.CLOSED]
    if still_open:
        raise GuardFailed(
            _("Close the worker's open cases first (%(references)s), then erase their data.")
            % {"references": ", ".join(case.reference for case in still_open)}
        )
    now = timezone.now()
    done = []
    for case in cases:
        if case.anonymised_at is None:
            _anonymise_locked(case, actor=actor, reason=reason, cause=Cause.ERASURE, now=now)
            done.append(case.pk)
    erasure = Erasure(case_ids=done, claimant_anonymised=_anonymise_claimant_if_last(claimant, now))
    if done or erasure.claimant_anonymised:
        record_erasure_in_access_log(actor=actor, claimant=claimant, address=address, erasure=erasure)
    return erasure


# --- The sweep ------------------------------------------------------------------------------------------------------


def retention_sweep(*, now: datetime | None = None, batch_size: int | None = None) -> int:
    """Anonymise every case due at ``now``, oldest close first, in batches, each case in its own transaction.
    Returns how many were anonymised. Logs counts only."""
    now = now or timezone.now()
    batch_size = batch_size or settings.RETENTION_BATCH_SIZE
    report = retention_report(now, with_ids=False)
    logger.info("retention sweep: %d case(s) due in %d office(s)", report.total, len(report.offices))
    done, failed = 0, set()
    while True:
        due = retention_due(now).exclude(pk__in=failed).order_by("closed_at", "pk")
        batch = list(due.only("pk", "claimant_id")[:batch_size])
        if not batch:
            break
        for case in batch:
            try:
                done += case_anonymise(actor=None, case=case)
            except Exception:  # one case's failure must not stop the others; it is tried again tomorrow
                failed.add(case.pk)
                logger.exception("retention sweep: case %d could not be anonymised", case.pk)
    logger.info("retention sweep: %d case(s) anonymised, %d failed", done, len(failed))
    return done
