"""Admin for evidence files: read-only, limited to the cases the user may see, searchable by case or SHA-256.

Files are added, downloaded and removed only through the case pages (``documents.evidence`` writes the events);
the admin is for finding a file by its hash or case and seeing its chain of custody, removed files included.
"""

import re

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cases.core.admin import ReadOnlyAdmin
from cases.models import Case

from .models import EvidenceFile

SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")


@admin.register(EvidenceFile)
class EvidenceFileAdmin(ReadOnlyAdmin):
    list_display = ["case", "kind", "content_type", "size", "sha256", "uploaded_by", "uploaded_at", "removed_at"]
    list_filter = ["kind", "provided_by", "content_type"]
    list_select_related = ["case", "uploaded_by"]
    raw_id_fields = ["case", "uploaded_by", "removed_by"]
    search_fields = ["=case__reference", "=sha256"]
    search_help_text = _("Exact case reference (e.g. K7M4-Q9XP-3) or a file's SHA-256")
    reference_lookup = "case__reference"
    exclude = ["storage_name", "display_storage_name"]

    def get_queryset(self, request):
        return EvidenceFile.objects.filter(case__in=Case.objects.visible_to(request.user).values("pk"))

    def get_search_results(self, request, queryset, search_term):
        if SHA256.match(search_term.strip()):
            return queryset.filter(sha256=search_term.strip().lower()), False
        return super().get_search_results(request, queryset, search_term)
