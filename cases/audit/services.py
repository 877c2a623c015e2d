"""Writing the read audit: one INSERT per read, one bulk INSERT per page of a list.

Callers: the case page (``cases.pages.case_page``), the API's case and worker reads (``config.api``), the admin's
case and worker pages (``cases.audit.admin``), evidence and filing downloads (``documents``). A read of a worker is
recorded against each of the worker's cases the reader may see, so it shows in those cases' access logs and
nowhere else.
"""

import ipaddress
from collections.abc import Iterable
from datetime import timedelta

from django.utils import timezone

from cases.audit.models import AccessKind, AccessRecord, Via
from cases.core.models import Case
from paralegals.signin import client_ip

__all__ = [
    "AccessKind",
    "Via",
    "record_access",
    "record_accesses",
    "record_case_read",
    "record_worker_access",
    "request_address",
]

# A part of a case (a section alone, the edit form, the evidence or filings page) read within this long after the
# same person's last recorded read of the case adds no row: the case page loads its panels and reloads its sections
# after every write, and one page view must stay one row. Read alone, after longer, it is a row of its own.
RECENT_READ = timedelta(minutes=30)


def request_address(request) -> str | None:
    """The address a read came from: the same one sign-in lockouts count (``paralegals.signin.client_ip``), or
    ``None`` when it is not an IP address (a misconfigured proxy header must not break a page)."""
    address = client_ip(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def record_access(
    *,
    user,
    address: str | None,
    what: str,
    via: str,
    case: Case | None = None,
    case_id: int | None = None,
    claimant_id: int | None = None,
    object_id: int | None = None,
    detail: str = "",
) -> AccessRecord:
    """Record that ``user`` read ``what`` (one INSERT). A loaded ``case``'s worker is recorded with it; a caller
    holding only the id (an evidence file's ``case_id``) passes ``case_id``."""
    return AccessRecord.objects.create(
        user=user,
        address=address,
        what=what,
        via=via,
        case_id=case.pk if case is not None else case_id,
        claimant_id=case.claimant_id if case is not None else claimant_id,
        object_id=object_id,
        detail=detail,
    )


def record_accesses(
    *,
    user,
    address: str | None,
    what: str,
    via: str,
    cases: Iterable[Case] = (),
    claimant_ids: Iterable[int] = (),
) -> list[AccessRecord]:
    """Record one read per case in ``cases`` (with its worker), or per worker in ``claimant_ids`` without a case:
    one INSERT for all of them, none for an empty page."""
    rows = [
        AccessRecord(user=user, address=address, what=what, via=via, case_id=case.pk, claimant_id=case.claimant_id)
        for case in cases
    ]
    rows += [
        AccessRecord(user=user, address=address, what=what, via=via, claimant_id=claimant_id)
        for claimant_id in claimant_ids
    ]
    return AccessRecord.objects.bulk_create(rows) if rows else []


def record_worker_access(
    *, user, address: str | None, what: str, via: str, claimant_id: int, case_ids: Iterable[int]
) -> list[AccessRecord]:
    """Record a read of worker ``claimant_id`` against each of ``case_ids`` (the worker's cases the reader may
    see; one INSERT), or against the worker alone when there is none."""
    rows = [
        AccessRecord(user=user, address=address, what=what, via=via, case_id=pk, claimant_id=claimant_id)
        for pk in case_ids
    ] or [AccessRecord(user=user, address=address, what=what, via=via, claimant_id=claimant_id)]
    return AccessRecord.objects.bulk_create(rows)


def record_case_read(
    *, user, address: str | None, case_id: int, what: str, via: str, detail: str = ""
) -> AccessRecord | None:
    """Record that ``user`` read a part of case ``case_id``, unless they have a recorded read of it from the last
    ``RECENT_READ`` (one SELECT, and one INSERT when there is none)."""
    recent = AccessRecord.objects.filter(case_id=case_id, user=user, at__gte=timezone.now() - RECENT_READ)
    if recent.exists():
        return None
    return record_access(user=user, address=address, what=what, via=via, case_id=case_id, detail=detail[:40])
