"""Generated filings on the case page: the list with each document's status, the request form, retry, download.

The case page loads the panel by URL (``/cases/<pk>/filings/panel/``, htmx); without JavaScript the same panel
is on its own page (``/cases/<pk>/filings/``). Each action (``cases.core.web.case_view``) validates a form, calls
one service in ``documents.filings`` and answers with the panel for htmx, or redirects to the filings page. Bad
input answers 400, a refused guard 409, with the reason in the panel; a case or document outside ``visible_to`` is
a 404. A pending document's row asks for itself every 2 seconds until it is ready or failed.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from cases.audit.services import request_address
from cases.core import downloads
from cases.core.errors import CaseError
from cases.core.views.sections import Section
from cases.core.web import Done, case_view, get_case, submit
from cases.models import Case

from .. import filings
from ..forms_filings import FilingRequestForm
from ..models import Document, DocumentStatus

PANEL_LENGTH = 50  # the latest documents; older ones stay in the admin


def _document(request, pk: int) -> Document:
    visible = Document.objects.filter(case__in=Case.objects.visible_to(request.user).values("pk"))
    return get_object_or_404(visible.select_related("requested_by", "respondent"), pk=pk)


def _panel_context(request, case: Case, *, form: FilingRequestForm | None = None, error: str = "") -> dict:
    documents = list(
        Document.objects.filter(case=case)
        .select_related("requested_by", "respondent")
        .order_by("-requested_at", "-id")[:PANEL_LENGTH]
    )
    return {
        "documents": documents,
        "form": form or FilingRequestForm(case=case),
        "error": error,
        "any_pending": any(document.status == DocumentStatus.PENDING for document in documents),
    }


FILINGS = Section("filings-panel", gettext_lazy("Filings (PDF)"), "documents/_filings_panel.html", _panel_context)


def _panel(request, case: Case, *, partial: bool | None = None):
    """The panel alone for htmx (or when ``partial``); the filings page otherwise."""
    partial = bool(request.htmx) if partial is None else partial
    template = "documents/_filings_panel.html" if partial else "documents/filings_page.html"
    response = render(request, template, {"case": case, **_panel_context(request, case)})
    patch_vary_headers(response, ["HX-Request"])  # one URL, two answers: keep caches from mixing them up
    return response


@login_required
@require_GET
def filings_page(request, pk: int):
    return _panel(request, get_case(request, pk))


@login_required
@require_GET
def filings_panel(request, pk: int):
    return _panel(request, get_case(request, pk), partial=True)


@case_view(FILINGS)
def filing_request(request, case: Case):
    form = FilingRequestForm(request.POST, case=case)
    submit(
        form,
        lambda data: filings.document_request(actor=request.user, case_id=case.pk, **form.service_kwargs()),
        bound={"form": form},
    )
    # Without JavaScript the form is on the filings page (the case page loads the panel with htmx): back there.
    return Done(_("The document is being prepared."), url=reverse("filings_page", args=[case.pk]))


def _document_case(request, pk: int) -> int:
    return _document(request, pk).case_id


@case_view(FILINGS, case_pk=_document_case)
def filing_retry(request, case: Case, pk: int):
    filings.document_retry(actor=request.user, document_id=pk)
    return Done(_("The document is being prepared again."), url=reverse("filings_page", args=[case.pk]))


@login_required
@require_GET
def filing_row(request, pk: int):
    """One document's row: what a pending row polls until it is ready or failed."""
    return render(request, "documents/filings/_panel_row.html", {"document": _document(request, pk)})


@login_required
@require_GET
def filing_download(request, pk: int):
    try:
        document, data = filings.document_download(actor=request.user, document_id=pk, address=request_address(request))
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
