"""Admin for generated filings: read-only, limited to the cases the user may see, searchable by case or SHA-256.

Filings are requested, rendered, retried and downloaded only through the case pages and the render task
(``documents.filings`` writes the events); the admin is for support: finding a document, its status and error,
and the snapshot it was made from.
"""

import re

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cases.core.admin import ReadOnlyAdmin
from cases.models import Case

from .models import Document

SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["case", "kind", "language", "status", "attempts", "pages", "size", "requested_by", "requested_at"]
    list_filter = ["kind", "status", "language"]
    list_select_related = ["case", "requested_by"]
    raw_id_fields = ["case", "respondent", "calculation_snapshot", "requested_by"]
    search_fields = ["=case__reference", "=sha256"]
    search_help_text = _("Exact case reference (e.g. K7M4-Q9XP-3) or a PDF's SHA-256")
    reference_lookup = "case__reference"
    fields = [
        "case",
        "kind",
        "language",
        "respondent",
        "calculation_snapshot",
        "status",
        "error",
        "attempts",
        "requested_by",
        "requested_at",
        "queued_at",
        "ready_at",
        "sha256",
        "size",
        "pages",
        "render_ms",
        "removed_at",
        "snapshot",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return Document.objects.filter(case__in=Case.objects.visible_to(request.user).values("pk"))

    def get_search_results(self, request, queryset, search_term):
        if SHA256.match(search_term.strip()):
            return queryset.filter(sha256=search_term.strip().lower()), False
        return super().get_search_results(request, queryset, search_term)
