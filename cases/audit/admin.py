"""The access log in the admin (read-only), and the admin's own reads of a case or a worker, recorded.

The core's ``CaseAdmin`` and ``ScopedClaimantAdmin`` are registered again here as subclasses that record a GET of
their change page: the core cannot import the audit package, which is built on it (pyproject.toml's layers).
"""

from django.contrib import admin

from cases.audit.models import AccessKind, AccessRecord, Via
from cases.audit.services import record_access, record_worker_access, request_address
from cases.core.admin import CaseAdmin, ReadOnlyAdmin, ScopedClaimantAdmin
from cases.core.models import Case
from claimants.models import Claimant


@admin.register(AccessRecord)
class AccessRecordAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "what", "via", "case", "address"]
    list_filter = ["what", "via"]
    list_select_related = ["user", "case"]
    raw_id_fields = ["user", "case", "claimant"]
    search_fields = ["=case__reference"]
    reference_lookup = "case__reference"
    show_full_result_count = False
    date_hierarchy = None  # a date drill-down runs MIN/MAX over the whole table

    def get_queryset(self, request):
        if request.user.sees_all_offices:  # with the reads of a worker list, which name no case
            return AccessRecord.objects.all()
        return AccessRecord.objects.filter(case__in=Case.objects.visible_to(request.user).values("pk"))


def _shown(request, response) -> bool:
    """Whether a change page was read: a GET answered with the page (not a redirect for a missing object)."""
    return request.method == "GET" and response.status_code == 200


admin.site.unregister(Case)


@admin.register(Case)
class AuditedCaseAdmin(CaseAdmin):
    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if _shown(request, response):
            case = self.get_object(request, object_id)
            record_access(
                user=request.user,
                address=request_address(request),
                what=AccessKind.ADMIN_CASE,
                via=Via.ADMIN,
                case=case,
            )
        return response


admin.site.unregister(Claimant)


@admin.register(Claimant)
class AuditedClaimantAdmin(ScopedClaimantAdmin):
    """The worker's page shows the identity document number and contacts: recorded against each of the worker's
    cases the reader may see."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if _shown(request, response):
            claimant = self.get_object(request, object_id)
            case_ids = Case.objects.visible_to(request.user).filter(claimant=claimant).values_list("pk", flat=True)
            record_worker_access(
                user=request.user,
                address=request_address(request),
                what=AccessKind.ADMIN_WORKER,
                via=Via.ADMIN,
                claimant_id=claimant.pk,
                case_ids=list(case_ids),
            )
        return response
