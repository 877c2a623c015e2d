"""A case's access log, for coordinators: who read the case (and its worker, evidence, filings), newest first.

The case is fetched through ``visible_to`` first (another office's case is a 404, its existence does not leak); a
paralegal who sees the case but is not a coordinator gets 403 (docs/authorization.md). Only rows of this case are
shown, so the page cannot show reads of another office's case.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from cases.audit.models import AccessRecord
from cases.core.web import get_case

PAGE_SIZE = 50


@login_required
@require_GET
def case_access_log(request, pk: int):
    case = get_case(request, pk, respondents=False)
    if not request.user.is_coordinator:
        raise PermissionDenied
    records = AccessRecord.objects.of_case(case).select_related("user")
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/case_access_log.html", {"case": case, "page": page})


urlpatterns = [
    path("cases/<int:pk>/access-log/", case_access_log, name="case_access_log"),
]
