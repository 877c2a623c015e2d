"""The evidence locker: the list and upload form (a full page, and the panel the case page loads with htmx),
upload, download and removal.

Every view reaches the case through ``Case.objects.visible_to(request.user)`` — directly, or through
``EvidenceFile.objects.visible_to`` — and answers 404 for anything outside it, and for removed files. Actions
(``cases.core.web.case_view``) validate a form, call one service in ``documents.evidence`` and answer with the
evidence section in place (htmx), or redirect back to where the form was (the case page or the evidence page). Bad
input shows the section again with the form, its errors and what was typed (400); nothing is stored. A closed case
refuses changes with 409.

Uploads are limited while the request is read: ``UploadLimitHandler`` goes first in the handler chain, which must
happen before anything reads ``request.POST`` — so the upload view is exempt from the CSRF middleware and checks
the token itself (``csrf_protect``) once the handler is in place, as Django's documentation describes.
"""

import logging

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET

from cases.audit.services import request_address
from cases.core import downloads
from cases.core.stages import Stage
from cases.core.views.sections import Section
from cases.core.web import Done, case_view, get_case, submit
from cases.models import Case

from .. import storage, validation
from ..evidence import evidence_download_logged, evidence_remove, evidence_upload
from ..forms_evidence import EvidenceRemoveForm, EvidenceUploadForm, UploadLimitHandler
from ..models import EvidenceFile

logger = logging.getLogger(__name__)

INLINE_TYPES = frozenset(t.content_type for t in (validation.PDF, validation.JPEG, validation.PNG, validation.WEBP))


def _context(request, case: Case, *, return_to: str, upload_form=None, remove_forms=None, error: str = "") -> dict:
    """The list and its forms: one query for the files (with their uploaders) however many there are."""
    remove_forms = remove_forms or {}
    files = list(
        EvidenceFile.objects.filter(case=case).present().select_related("uploaded_by").order_by("-uploaded_at", "-id")
    )
    is_open = case.stage != Stage.CLOSED
    for evidence in files:
        evidence.viewable = evidence.content_type in INLINE_TYPES
        evidence.remove_form = remove_forms.get(evidence.pk) or EvidenceRemoveForm(
            evidence_id=evidence.pk, initial={"next": return_to}
        )
    return {
        "case": case,
        "files": files,
        "is_open": is_open,
        "upload_form": upload_form or (EvidenceUploadForm(initial={"next": return_to}) if is_open else None),
        "return_to": return_to,
        "error": error,
        "max_files": validation.MAX_FILES,
        "max_file_bytes": validation.MAX_FILE_BYTES,
        "max_request_bytes": validation.MAX_REQUEST_BYTES,
    }


def _section_context(request, case: Case, *, upload_form=None, remove_forms=None, error: str = "") -> dict:
    return _context(request, case, return_to="case", upload_form=upload_form, remove_forms=remove_forms, error=error)


EVIDENCE = Section("evidence-panel", gettext_lazy("Evidence"), "documents/_evidence_panel.html", _section_context)


def _page(request, case: Case, *, status: int = 200, **kwargs):
    context = _context(request, case, return_to="evidence", **kwargs)
    return render(request, "documents/evidence_page.html", context, status=status)


def _back(case_pk: int, return_to: str | None) -> str:
    """Without JavaScript, back to the evidence page when the form was there (else to the case page's section)."""
    return "" if return_to == "case" else reverse("evidence_list", args=[case_pk])


@login_required
@require_GET
def evidence_page(request, pk: int):
    return _page(request, get_case(request, pk, respondents=False))


@login_required
@require_GET
def evidence_panel(request, pk: int):
    """The fragment the case page loads into #evidence-panel (htmx, swapping the placeholder out)."""
    case = get_case(request, pk, respondents=False)
    return render(request, "documents/_evidence_panel.html", _section_context(request, case))


@csrf_exempt  # checked by csrf_protect in _upload, once the upload limits are in place
@case_view(EVIDENCE)  # the case is read before the body is: someone else's case costs no upload
def evidence_upload_view(request, case: Case):
    limits = UploadLimitHandler(request)
    request.upload_handlers.insert(0, limits)
    return _upload(request, case, limits)


@csrf_protect
def _upload(request, case: Case, limits: UploadLimitHandler):
    form = EvidenceUploadForm(request.POST, request.FILES)
    if limits.refusal:
        # What arrived of the files is cut short; the limit is the one thing to say about them.
        form.is_valid()
        form.errors.pop("files", None)
        form.add_error("files", limits.refusal)
    added = submit(
        form,
        lambda data: evidence_upload(
            actor=request.user,
            case_id=case.pk,
            files=data["files"],
            kind=data["kind"],
            document_date=data["document_date"],
            description=data["description"],
            provided_by=data["provided_by"],
            received_on=data["received_on"],
        ),
        bound={"upload_form": form},
    )
    message = ngettext(
        "%(count)d file added to the evidence.", "%(count)d files added to the evidence.", len(added)
    ) % {"count": len(added)}
    return Done(message, url=_back(case.pk, form.cleaned_data["next"]))


def _evidence_case(request, evidence_id: int) -> int:
    return EvidenceFile.objects.visible_to(request.user).present().values_list("case_id", flat=True).get(pk=evidence_id)


@case_view(EVIDENCE, case_pk=_evidence_case)
def evidence_remove_view(request, case: Case, evidence_id: int):
    form = EvidenceRemoveForm(request.POST, evidence_id=evidence_id)
    submit(
        form,
        lambda data: evidence_remove(actor=request.user, evidence_id=evidence_id, reason=data["reason"]),
        bound={"remove_forms": {evidence_id: form}},
    )
    return Done(
        _("The file is removed from the list; it is kept, with your reason, for the record."),
        url=_back(case.pk, form.cleaned_data["next"]),
    )


@login_required
@require_GET
def evidence_download(request, evidence_id: int):
    """The staff copy (images without metadata), or with ``?original=1`` the file byte for byte as uploaded.

    Always an attachment, except PDF and raster images asked for with ``?inline=1``; the browser gets the sniffed
    type and may not guess another (nosniff), cache it, or run anything in it (CSP sandbox).
    """
    evidence = get_object_or_404(EvidenceFile.objects.visible_to(request.user).present(), pk=evidence_id)
    original = request.GET.get("original") == "1"
    inline = request.GET.get("inline") == "1" and evidence.content_type in INLINE_TYPES
    try:
        handle = storage.evidence_storage().open(evidence.storage_name if original else evidence.display_storage_name)
    except FileNotFoundError as exc:
        logger.error("Evidence file %s is missing from private storage", evidence.pk)
        raise Http404 from exc
    evidence_download_logged(actor=request.user, evidence=evidence, original=original, address=request_address(request))
    response = FileResponse(handle, content_type=evidence.content_type)
    response["Content-Disposition"] = downloads.content_disposition(evidence.display_name, inline=inline)
    return downloads.protect(response)


urlpatterns = [
    path("cases/<int:pk>/evidence/", evidence_page, name="evidence_list"),
    path("cases/<int:pk>/evidence/panel/", evidence_panel, name="evidence_panel"),
    path("cases/<int:pk>/evidence/upload/", evidence_upload_view, name="evidence_upload"),
    path("evidence/<int:evidence_id>/download/", evidence_download, name="evidence_download"),
    path("evidence/<int:evidence_id>/remove/", evidence_remove_view, name="evidence_remove"),
]
