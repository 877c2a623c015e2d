"""Generated filings on the case page: the list with each document's status, the request form, retry, download.

The case page loads the panel by URL (``/cases/<pk>/filings/panel/``, htmx); without JavaScript the same panel
is on its own page (``/cases/<pk>/filings/``). Each action validates a form, calls one service in
``documents.filings`` and answers with the panel for htmx, or redirects to the filings page. Bad input answers
400, a refused guard 409, with the reason in the panel; a case or document outside ``visible_to`` is a 404. A
pending document's row asks for itself every 2 seconds until it is ready or failed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases.core import downloads
from cases.core.errors import CaseError
from cases.models import Case, CaseRespondent

from .. import filings
from ..forms_filings import FilingRequestForm
from ..models import Document, DocumentStatus

PANEL_LENGTH = 50  # the latest documents; older ones stay in the admin


def _case(request, pk: int) -> Case:
    queryset = Case.objects.visible_to(request.user).select_related("claimant")
    respondents = CaseRespondent.objects.select_related("respondent").order_by("id")
    return get_object_or_404(queryset.prefetch_related(Prefetch("case_respondents", queryset=respondents)), pk=pk)


def _document(request, pk: int) -> Document:
    visible = Document.objects.filter(case__in=Case.objects.visible_to(request.user).values("pk"))
    return get_object_or_404(visible.select_related("requested_by", "respondent"), pk=pk)


def _panel(
    request,
    case: Case,
    *,
    form: FilingRequestForm | None = None,
    error: str = "",
    status: int = 200,
    partial: bool | None = None,
):
    """The panel alone for htmx (or when ``partial``); the filings page otherwise."""
    documents = list(
        Document.objects.filter(case=case)
        .select_related("requested_by", "respondent")
        .order_by("-requested_at", "-id")[:PANEL_LENGTH]
    )
    context = {
        "case": case,
        "documents": documents,
        "form": form or FilingRequestForm(case=case),
        "error": error,
        "any_pending": any(document.status == DocumentStatus.PENDING for document in documents),
    }
    partial = bool(request.htmx) if partial is None else partial
    template = "documents/_filings_panel.html" if partial else "documents/filings_page.html"
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])  # one URL, two answers: keep caches from mixing them up
    return response


def _refused(request, case: Case, exc: CaseError, form: FilingRequestForm | None = None):
    return _panel(request, case, form=form, error=str(exc.message), status=exc.http_status)


def _done(request, case: Case, message: str):
    if request.htmx:
        return _panel(request, case)
    messages.success(request, message)
    return redirect("filings_page", pk=case.pk)


@login_required
@require_GET
def filings_page(request, pk: int):
    return _panel(request, _case(request, pk))


@login_required
@require_GET
def filings_panel(request, pk: int):
    return _panel(request, _case(request, pk), partial=True)


@login_required
@require_POST
def filing_request(request, pk: int):
    case = _case(request, pk)
    form = FilingRequestForm(request.POST, case=case)
    if not form.is_valid():
        return _panel(request, case, form=form, status=400)
    try:
        filings.document_request(actor=request.user, case_id=case.pk, **form.service_kwargs())
    except Case.DoesNotExist as exc:
        raise Http404 from exc
    except CaseError as exc:
        return _refused(request, case, exc, form)
    return _done(request, case, _("The document is being prepared."))


@login_required
@require_POST
def filing_retry(request, pk: int):
    document = _document(request, pk)
    case = _case(request, document.case_id)
    try:
        filings.document_retry(actor=request.user, document_id=document.pk)
    except Document.DoesNotExist as exc:
        raise Http404 from exc
    except CaseError as exc:
        return _refused(request, case, exc)
    return _done(request, case, _("The document is being prepared again."))


@login_required
@require_GET
def filing_row(request, pk: int):
    """One document's row: what a pending row polls until it is ready or failed."""
    return render(request, "documents/filings/_panel_row.html", {"document": _document(request, pk)})


@login_required
@require_GET
def filing_download(request, pk: int):
    try:
        document, data = filings.document_download(actor=request.user, document_id=pk)
    except Document.DoesNotExist as exc:
        raise Http404 from exc
    except FileNotFoundError as exc:
        raise Http404(_("The PDF file is missing. Make the document again.")) from exc
    except CaseError as exc:
        return HttpResponse(str(exc.message), status=409, content_type="text/plain; charset=utf-8")
    return downloads.attachment(data, filename=document.download_name, content_type="application/pdf")


urlpatterns = [
    path("cases/<int:pk>/filings/", filings_page, name="filings_page"),
    path("cases/<int:pk>/filings/panel/", filings_panel, name="filings_panel"),
    path("cases/<int:pk>/filings/request/", filing_request, name="filing_request"),
    path("filings/<int:pk>/retry/", filing_retry, name="filing_retry"),
    path("filings/<int:pk>/row/", filing_row, name="filing_row"),
    path("filings/<int:pk>/download/", filing_download, name="filing_download"),
]
