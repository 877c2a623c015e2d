"""The status check's reads and writes: the lookup, what the worker sees, "my phone changed", and the staff actions.

The lookup counts the attempt before it checks anything (``limiter``), then checks the PIN against the case's hash —
or, for an unknown reference, against a fixed dummy hash of the same algorithm — so an unknown reference and a wrong
PIN cost the same time and get the same answer. Neither the reference nor the PIN is ever logged.
"""

import enum
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache

from django.conf import settings
from django.contrib.auth.hashers import check_password, get_hasher, make_password
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from cases.core.errors import InvalidInput
from cases.core.models import Case, CaseEvent, EventKind
from cases.core.pins import hash_pin, new_pin, normalise_pin
from cases.core.stages import Stage
from cases.deadlines.models import Deadline, DeadlineKind, DeadlineStatus
from cases.deadlines.reminders import rules as reminder_rules
from cases.money.currencies import format_money
from cases.money.services.ledger import ledger_totals
from cases.portal import limiter
from cases.portal.models import PhoneChangeRequest
from cases.portal.texts import StageText, stage_text


class Outcome(enum.Enum):
    FOUND = "found"
    NO_MATCH = "no_match"  # unknown reference or wrong PIN: the worker is never told which
    LOCKED = "locked"  # too many attempts on this reference (known or not)
    BUSY = "busy"  # a wrong try from an address over its budget of wrong tries (a right PIN still gets through)


@dataclass(frozen=True)
class Lookup:
    outcome: Outcome
    case_id: int | None = field(default=None, repr=False)
    pin_key: str = field(default="", repr=False)  # pin_fingerprint() of the case's PIN hash, for the status pass


class StatusEnded(Exception):
    """The case's PIN changed (re-issued, or cleared by retention) since the status check was opened."""


def pin_fingerprint(pin_hash: str) -> str:
    """A keyed fingerprint of a case's PIN hash: a status pass carries it, so a new or cleared PIN ends the pass.

    Keyed with SECRET_KEY, so it says nothing about the PIN or its hash to whoever reads the cookie.
    """
    return salted_hmac("redress.portal.pin-key", pin_hash, algorithm="sha256").hexdigest()[:32]


def _pin_key_matches(pin_hash: str, key: str | None) -> bool:
    return key is None or (bool(pin_hash) and constant_time_compare(pin_fingerprint(pin_hash), key))


@lru_cache(maxsize=8)
def _dummy_hash(hasher_signature: str) -> str:
    return make_password(secrets.token_hex(16))


def _dummy() -> str:
    """A hash of a random secret made with the current hasher, so checking against it costs what a real check does."""
    hasher = get_hasher()
    return _dummy_hash(f"{hasher.algorithm}:{getattr(hasher, 'iterations', '')}")


@sensitive_variables("pin")
def portal_lookup(*, reference: str, pin: str, ip: str) -> Lookup:
    """Check a normalised reference and a PIN, within the rate limits. Raises ``limiter.LimiterUnavailable``.

    Only the reference's own budget can refuse an attempt before its PIN is checked; an address over its budget of
    wrong tries still gets a right PIN through (``limiter``'s docstring says why).
    """
    verdict = limiter.allow_reference(reference)
    case = Case.objects.filter(reference=reference).only("pk", "pin_hash").first()
    if not verdict.allowed:
        if verdict.just_locked and case is not None:
            CaseEvent.objects.create(case=case, actor=None, kind=EventKind.PORTAL_LOCKED)
        return Lookup(Outcome.LOCKED)
    stored = case.pin_hash if case is not None and case.pin_hash else _dummy()
    matches = check_password(normalise_pin(pin), stored)
    if case is not None and case.pin_hash and matches:
        limiter.refund_reference(reference)
        return Lookup(Outcome.FOUND, case_id=case.pk, pin_key=pin_fingerprint(case.pin_hash))
    if limiter.address_failure(ip):
        return Lookup(Outcome.BUSY)
    return Lookup(Outcome.NO_MATCH)


# --- What the worker sees -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Money:
    paid: str  # by the respondent, so far
    disbursed: str  # to the worker, so far


@dataclass(frozen=True)
class WorkerStatus:
    reference: str
    language: str
    text: StageText
    closed: bool
    hearing_at: datetime | None
    hearing_zone: str
    money: list[Money]
    office_phone: str
    office_whatsapp_digits: str
    office_email: str


# The columns the status page needs (the worker's encrypted fields are never loaded, so never decrypted).
_SHOWN = (
    "reference",
    "stage",
    "outcome",
    "portal_show_amounts",
    "pin_hash",
    "office__phone",
    "office__whatsapp",
    "office__email",
    "claimant__preferred_language",
)


def _digits(number: str) -> str:
    return "".join(ch for ch in number if ch.isdigit())


def worker_status(case_id: int, *, pin_key: str | None = None) -> WorkerStatus:
    """Everything the status page shows, and nothing more: no employer, no notes, no documents, no other person.

    One query (two when the case shows amounts): the case with only the columns shown, its office's contacts, the
    worker's language and the next hearing. Raises ``StatusEnded`` when the case is gone or, with ``pin_key`` (a
    status pass's), when its PIN is no longer the one the pass was opened with.
    """
    hearing = Deadline.objects.filter(
        case=OuterRef("pk"), kind=DeadlineKind.HEARING, status=DeadlineStatus.OPEN, due_at__gt=timezone.now()
    ).order_by("due_at")
    case = (
        Case.objects.select_related("office", "claimant")
        .only(*_SHOWN)
        .annotate(
            hearing_at=Subquery(hearing.values("due_at")[:1]),
            hearing_zone=Subquery(hearing.values("timezone")[:1]),
        )
        .filter(pk=case_id)
        .first()
    )
    if case is None or not _pin_key_matches(case.pin_hash, pin_key):
        raise StatusEnded
    money = []
    if case.portal_show_amounts:
        money = [
            Money(
                paid=format_money(figures.paid, figures.currency),
                disbursed=format_money(figures.disbursed, figures.currency),
            )
            for figures in ledger_totals(case).by_currency
            if figures.paid or figures.disbursed
        ]
    return WorkerStatus(
        reference=case.reference,
        language=case.claimant.preferred_language,
        text=stage_text(case.stage, case.outcome),
        closed=case.stage == Stage.CLOSED,
        hearing_at=case.hearing_at,
        hearing_zone=case.hearing_zone or "UTC",
        money=money,
        office_phone=case.office.phone,
        office_whatsapp_digits=_digits(case.office.whatsapp),
        office_email=case.office.email,
    )


# --- "My phone number changed" --------------------------------------------------------------------------------------


@sensitive_variables("phone")
@transaction.atomic
def phone_change_request(*, case_id: int, phone: str, pin_key: str | None = None) -> PhoneChangeRequest:
    """Record a new number the worker sent, and give the paralegal a follow-up deadline (with its reminders).

    With ``pin_key`` (the status pass's), raises ``StatusEnded`` when the case's PIN changed since the pass was opened.

    One transaction: the request (number encrypted), a FOLLOW_UP deadline due in PORTAL_PHONE_FOLLOW_UP_DAYS, a
    CaseEvent (without the number) and the deadline's reminders. The number does not become a contact channel: a
    paralegal checks it with the worker first.
    """
    case = Case.objects.select_for_update(of=("self",)).select_related("office").get(pk=case_id)
    if not _pin_key_matches(case.pin_hash, pin_key):
        raise StatusEnded
    request = PhoneChangeRequest.objects.create(case=case, new_phone=phone)
    now = timezone.now()
    deadline = Deadline.objects.create(
        case=case,
        kind=DeadlineKind.FOLLOW_UP,
        due_at=now + timedelta(days=settings.PORTAL_PHONE_FOLLOW_UP_DAYS),
        timezone=case.office.timezone,
        # Not entered by staff: the worker asked, through the status page (the constraint wants an origin).
        computed_from={"trigger": "worker_phone_changed", "trigger_date": now.date().isoformat(), "rule": None},
        rule_key=f"phone-request:{request.pk}",
    )
    CaseEvent.objects.create(
        case=case,
        actor=None,
        kind=EventKind.PHONE_CHANGE_REQUESTED,
        payload={"request": request.pk, "deadline": deadline.pk},
    )
    if case.stage != Stage.CLOSED:
        reminder_rules.deadline_reminders(deadline, case=case, now=now)
    return request


# --- Staff actions (the case page) ----------------------------------------------------------------------------------


@sensitive_variables("pin")
@transaction.atomic
def pin_reissue(*, actor, case_id: int) -> str:
    """A new PIN for the case; the old one stops working at once. Returns the clear PIN (shown once, never stored)."""
    case = Case.objects.lock_for(actor, case_id)
    pin = new_pin()
    case.pin_hash = hash_pin(pin)
    case.save_bumping_version(fields=["pin_hash"])
    CaseEvent.objects.create(case=case, actor=actor, kind=EventKind.PIN_REISSUED)
    return pin


@transaction.atomic
def portal_unlock(*, actor, case_id: int) -> None:
    """Lift the lock on the case's reference (after checking with the worker) and reset its attempt count."""
    case = Case.objects.lock_for(actor, case_id)
    limiter.forget_reference(case.reference)
    CaseEvent.objects.create(case=case, actor=actor, kind=EventKind.PORTAL_UNLOCKED)


@transaction.atomic
def phone_request_handle(*, actor, case_id: int, request_id: int) -> PhoneChangeRequest:
    """Mark a phone number request checked (the paralegal updates the worker's contacts themselves)."""
    case = Case.objects.lock_for(actor, case_id)
    request = PhoneChangeRequest.objects.select_for_update().filter(case=case, pk=request_id).first()
    if request is None:
        raise PhoneChangeRequest.DoesNotExist
    if request.handled_at is not None:
        raise InvalidInput(_("This request was already handled."))
    request.handled_at, request.handled_by = timezone.now(), actor
    request.save(update_fields=["handled_at", "handled_by"])
    follow_up = Deadline.objects.filter(
        case=case, kind=DeadlineKind.FOLLOW_UP, rule_key=f"phone-request:{request.pk}", status=DeadlineStatus.OPEN
    ).first()
    if follow_up is not None:
        follow_up.status = DeadlineStatus.MET
        follow_up.save(update_fields=["status", "updated_at"])
        reminder_rules.deadline_reminders_cancel(follow_up)
    CaseEvent.objects.create(
        case=case, actor=actor, kind=EventKind.PHONE_CHANGE_HANDLED, payload={"request": request.pk}
    )
    return request


@transaction.atomic
def portal_show_amounts_set(*, actor, case_id: int, show: bool) -> Case:
    """Whether the status page shows the amounts paid by the respondent and paid out to the worker."""
    case = Case.objects.lock_for(actor, case_id)
    if case.portal_show_amounts != show:
        case.portal_show_amounts = show
        case.save_bumping_version(fields=["portal_show_amounts"])
        CaseEvent.objects.create(
            case=case, actor=actor, kind=EventKind.DETAILS_CHANGED, payload={"fields": ["portal_show_amounts"]}
        )
    return case
