"""The snapshot of a case that a filing is made from: what its template shows, as JSON, frozen at request time.

Codes, ISO dates and amounts as strings — labels, dates and numbers in the document's language come at render time
(``documents.filings_print``) — so that the PDF can be made again from the snapshot alone, exactly as it was asked
for, however the case changes afterwards. Each kind holds only what it shows.
"""

import logging
from datetime import date, datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldError
from django.db import DatabaseError, transaction
from django.utils import timezone

from cases.core.office_time import office_zone
from cases.models import CalculationSnapshot, Case, CaseEvent, CaseRespondent
from cases.money import wages
from cases.money.services.ledger import ledger_totals

from .models import DocumentKind

logger = logging.getLogger(__name__)

# The worker's status page; printed on the receipt and encoded in its QR code (never with the PIN).
PORTAL_URL = getattr(settings, "STATUS_PORTAL_URL", "http://127.0.0.1:8000/status/")
PAY_WITHIN_DAYS = 14
TIMELINE_LENGTH = 30
SNAPSHOT_VERSION = 1


def build_snapshot(
    case: Case, *, kind: str, actor, respondent: CaseRespondent | None, calculation: CalculationSnapshot | None
) -> dict:
    """Everything the ``kind`` template shows, as JSON: codes and ISO dates, labels and formats come at render time.

    Only what that document needs: the worker's receipt has no respondent and no amount (it may be read by someone
    the worker would not show it to); the case summary is internal and has everything.
    """
    today = timezone.localdate(timezone=_office_zone(case.office))
    snapshot = {
        "version": SNAPSHOT_VERSION,
        "reference": case.reference,
        "requested_on": today.isoformat(),
        "office": _office(case.office),
    }
    if kind == DocumentKind.INTAKE_RECEIPT:
        return snapshot | {
            "claimant": {"name": case.claimant.full_name, "language": case.claimant.preferred_language},
            "portal_url": PORTAL_URL,
        }
    snapshot |= {
        "claimant": {"name": case.claimant.full_name, "nationality": str(case.claimant.nationality or "")},
        "respondents": _respondents(case),
        "employment": _employment(case),
        "prepared_by": actor.get_full_name() or actor.get_username(),
    }
    if kind == DocumentKind.DEMAND_LETTER:
        snapshot["addressee"] = _respondent(respondent)
        snapshot["pay_by"] = (today + timedelta(days=PAY_WITHIN_DAYS)).isoformat()
        snapshot["pay_within_days"] = PAY_WITHIN_DAYS
    if calculation is not None:
        snapshot["calculation"] = _calculation(calculation, zone=_office_zone(case.office))
    if kind in (DocumentKind.COMPLAINT, DocumentKind.CASE_SUMMARY):
        snapshot["evidence"] = _evidence(case)
    if kind == DocumentKind.CASE_SUMMARY:
        snapshot |= _internal(case)
    return snapshot


def _office_zone(office):
    return office_zone(office.timezone)


def _iso(value, zone=None) -> str | None:
    """A date as ISO; a moment as the ISO date it fell on in ``zone`` (the case office's), whoever asks and wherever
    the snapshot is made (a request in another office's zone, a background task in UTC)."""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            return timezone.localtime(value, zone or timezone.get_default_timezone()).date().isoformat()
        return value.date().isoformat()
    return value.isoformat() if isinstance(value, date) else None


def _office(office) -> dict:
    return {
        "organisation": office.organisation.name,
        "name": office.name,
        "city": office.city,
        "country": str(office.country or ""),
        "phone": office.phone,
        "whatsapp": office.whatsapp,
        "email": office.email,
    }


def _respondent(role: CaseRespondent) -> dict:
    respondent = role.respondent
    return {
        "id": respondent.pk,
        "name": respondent.name,
        "role": role.role,
        "country": str(respondent.country or ""),
        "address": respondent.address,
        "registration_number": respondent.registration_number,
    }


def _respondents(case: Case) -> list[dict]:
    roles = CaseRespondent.objects.filter(case=case).select_related("respondent").order_by("id")
    return [_respondent(role) for role in roles]


def _employment(case: Case) -> dict:
    return {
        "country_of_work": str(case.country_of_work or ""),
        "sector": case.sector,
        "job_title": case.job_title,
        "work_started_on": _iso(case.work_started_on),
        "work_ended_on": _iso(case.work_ended_on),
        "departure_date": _iso(case.departure_date),
        "summary": case.summary,
    }


def _calculation(calculation: CalculationSnapshot, *, zone) -> dict:
    result = wages.Result.from_dict(calculation.result)  # checks the stored shape before it is printed
    return {
        "id": calculation.pk,
        "calculated_on": _iso(calculation.created_at, zone),
        "jurisdiction": calculation.jurisdiction.name,
        "is_estimate": result.is_estimate,
        "basis_note": result.basis_note,
        "uses_demo_rules": calculation.uses_demo_rules,
        "currency": result.currency,
        "lines": [
            {"label": line.label, "category": line.category.value, "amount": str(line.amount), "formula": line.formula}
            for line in result.lines
        ],
        "subtotals": {category.value: str(amount) for category, amount in result.subtotals.items() if amount},
        "gross_owed": str(result.gross_owed),
        "total_received": str(result.total_received),
        "total_withheld": str(result.total_withheld),
        "total_paid": str(result.total_paid),
        "total_owed": str(result.total_owed),
        "notes": list(result.notes),
        "rounding": result.rounding,
        "rules_cited": [
            {
                key: rule.get(key)
                for key in ("jurisdiction", "effective_from", "effective_to", "source", "last_verified")
            }
            for rule in calculation.rules_cited
        ],
    }


def _evidence(case: Case) -> list[dict]:
    """The case's evidence with SHA-256s, from the evidence locker's model; an empty list where there is none.

    Read by name so that filings work before (and without) the locker: no model, no table yet or other fields,
    and the list is simply empty — in a savepoint, so a failed query does not break the request's transaction.
    """
    try:
        evidence_model = apps.get_model("documents", "EvidenceFile")
    except LookupError:
        return []
    try:
        with transaction.atomic():
            rows = list(evidence_model.objects.filter(case=case, removed_at__isnull=True).order_by("received_on", "pk"))
            return [
                {
                    "kind": str(row.kind),
                    "display_name": str(row.display_name),
                    "sha256": str(row.sha256),
                    "received_on": _iso(row.received_on),
                }
                for row in rows
            ]
    except (FieldError, DatabaseError, AttributeError):
        logger.warning("filings: evidence list unavailable; printing none")
        return []


def _internal(case: Case) -> dict:
    """What only the case summary shows: stage, people, flags, money so far and the recent timeline."""
    totals = ledger_totals(case)
    zone = _office_zone(case.office)
    events = CaseEvent.objects.filter(case=case).select_related("actor")[:TIMELINE_LENGTH]
    return {
        "stage": case.stage,
        "outcome": case.outcome,
        "opened_on": _iso(case.opened_at, zone),
        "assigned_to": (case.assigned_to.get_full_name() or case.assigned_to.get_username())
        if case.assigned_to
        else "",
        "claimant_language": case.claimant.preferred_language,
        "flags": {
            "unsafe_contact": case.flag_unsafe_contact,
            "do_not_contact_employer": case.flag_do_not_contact_employer,
            "waiver_under_pressure": case.flag_waiver_under_pressure,
        },
        "estimated": {"amount": str(case.estimated_amount), "currency": case.estimated_currency}
        if case.estimated_amount is not None
        else None,
        "money": [
            {
                "currency": figures.currency,
                **{name: getattr(figures, name) for name in ("claimed", "awarded", "paid", "disbursed", "written_off")},
            }
            for figures in totals.by_currency
        ],
        "timeline": [
            {
                "on": _iso(event.created_at, zone),
                "kind": event.kind,
                "actor": (event.actor.get_full_name() or event.actor.get_username()) if event.actor else "",
                "from_stage": event.from_stage,
                "to_stage": event.to_stage,
                "reason": event.reason,
            }
            for event in events
        ],
    }
