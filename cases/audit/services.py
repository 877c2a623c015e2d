"""Writing the read audit: one INSERT per read, one bulk INSERT per page of a list.

Callers: the case page (``cases.pages.case_page``), the API's case and worker reads (``config.api``), the admin's
case and worker pages (``cases.audit.admin``), evidence and filing downloads (``documents``). A read of a worker is
recorded against each of the worker's cases the reader may see, so it shows in those cases' access logs and
nowhere else.
"""

import ipaddress
from collections.abc import Iterable

from cases.audit.models import AccessKind, AccessRecord, Via
from cases.core.models import Case
from paralegals.signin import client_ip

__all__ = ["AccessKind", "Via", "record_access", "record_accesses", "record_worker_access", "request_address"]


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
