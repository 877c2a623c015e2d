"""The read audit of the case's parts: every route under ``cases/<pk>/`` that shows a part of a case.

The case page records each view itself (``cases.pages.case_page``). Its parts have routes of their own — each
section alone (what htmx reloads), the details form, the evidence and filings panels and pages, the calculation
page — and a person could read a case through them without opening the page. The URL wiring (``cases/urls.py``,
``documents/urls.py``) passes its patterns through ``audit_case_parts``, which wraps each of those views: a GET
answered with 200 (the case is visible: another office's is a 404) records a ``case_part`` read, unless the same
person has a read of that case recorded in the last ``RECENT_READ`` (``cases.audit.services.record_case_read``).
A route added later under ``cases/<pk>/`` is covered without anyone remembering to.
"""

from functools import wraps

from cases.audit.models import AccessKind, Via
from cases.audit.services import record_case_read, request_address

CASE_PREFIX = "cases/<int:pk>/"
# The case page records every view itself; the access log is about the case, not of it.
RECORDED_ELSEWHERE = {"case_detail", "case_access_log"}


def audited_part(view, name: str):
    """``view`` (a route of a case's part), recording a GET that showed it."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method == "GET" and response.status_code == 200 and request.user.is_authenticated:
            record_case_read(
                user=request.user,
                address=request_address(request),
                case_id=kwargs["pk"],
                what=AccessKind.CASE_PART,
                via=Via.WEB,
                detail=name,
            )
        return response

    return wrapper


def audit_case_parts(patterns: list) -> list:
    """``patterns``, with each route of a case's part recording its reads (see the module's docstring)."""
    for pattern in patterns:
        if str(pattern.pattern).startswith(CASE_PREFIX) and pattern.name not in RECORDED_ELSEWHERE:
            pattern.callback = audited_part(pattern.callback, pattern.name or str(pattern.pattern))
    return patterns
