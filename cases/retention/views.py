"""The erasure request page: a coordinator (or admin) erases a worker's personal data at the worker's request."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from cases.audit.services import request_address
from cases.core.errors import CaseError
from cases.core.models import Case
from cases.core.web import get_case
from cases.retention.forms import ErasureForm
from cases.retention.services import claimant_erase


@login_required
@require_http_methods(["GET", "POST"])
def erase_worker(request, pk: int):
    """GET: what will be erased and the form; POST: the erasure (rule 1: validate, call one service, render)."""
    case = get_case(request, pk, respondents=False)
    if not request.user.is_coordinator:
        raise PermissionDenied
    form = ErasureForm(request.POST or None)
    status, error = 200, ""
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                erasure = claimant_erase(
                    actor=request.user,
                    claimant=case.claimant,
                    reason=form.cleaned_data["reason"],
                    address=request_address(request),
                )
            except CaseError as exc:
                status, error = exc.http_status, str(exc.message)
            else:
                messages.success(
                    request,
                    ngettext(
                        "The worker's personal data was erased from %(count)d case.",
                        "The worker's personal data was erased from %(count)d cases.",
                        len(erasure.case_ids),
                    )
                    % {"count": len(erasure.case_ids)}
                    if erasure.case_ids or erasure.claimant_anonymised
                    else _("The worker's personal data had already been erased."),
                )
                return redirect("case_detail", pk=case.pk)
    worker_cases = Case.objects.visible_to(request.user).filter(claimant_id=case.claimant_id).order_by("opened_at")
    context = {"case": case, "form": form, "error": error, "worker_cases": worker_cases}
    return render(request, "retention/erase_worker.html", context, status=status)


urlpatterns = [path("cases/<int:pk>/erase-worker/", erase_worker, name="erase_worker")]
