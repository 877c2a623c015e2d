"""Admin for cases: a support tool for browsing and fixing reference data.

Cases are opened and moved only through ``cases.core.services.cases`` (intake, case page), so
the admin shows them read-only; every list is limited to ``visible_to(user)`` and
stays fast with a million rows (exact reference search, raw-id widgets, capped counts
from config/admin.py).
"""

from django.contrib import admin

from cases.core.models import Case, CaseEvent, CaseRespondent, Respondent, RespondentAlias
from cases.core.references import normalise_reference
from claimants.admin import ClaimantAdmin
from claimants.models import Claimant


class RespondentAliasInline(admin.TabularInline):
    model = RespondentAlias
    extra = 1


@admin.register(Respondent)
class RespondentAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "registration_number"]
    list_filter = ["kind", "country"]
    # Prefix searches can use the name indexes; a contains-search over 1M rows cannot.
    search_fields = ["^name", "^aliases__name", "=registration_number"]
    autocomplete_fields = ["successor_of"]
    inlines = [RespondentAliasInline]


class CaseRespondentInline(admin.TabularInline):
    model = CaseRespondent
    extra = 0
    autocomplete_fields = ["respondent"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Case data changes only through services; the admin lists and shows it."""

    # The path to the case reference from this model; searched exactly, after normalising.
    reference_lookup = "reference"

    def get_search_results(self, request, queryset, search_term):
        if not search_term:
            return queryset, False
        reference = normalise_reference(search_term)
        if reference is None:
            return queryset.none(), False
        return queryset.filter(**{self.reference_lookup: reference}), False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["reference", "stage", "office", "country_of_work", "sector", "assigned_to", "opened_at"]
    list_filter = ["stage", "sector", "office", "country_of_work", "outcome"]
    list_select_related = ["office__organisation", "assigned_to"]
    search_fields = ["=reference"]
    search_help_text = "Exact case reference, e.g. K7M4-Q9XP-3"
    raw_id_fields = ["claimant"]
    readonly_fields = [
        "reference",
        "stage",
        "outcome",
        "outcome_reason",
        "assigned_to",
        "version",
        "opened_at",
        "opened_by",
        "closed_at",
        "stage_changed_at",
        "anonymised_at",
    ]
    inlines = [CaseRespondentInline]
    date_hierarchy = None  # a date drill-down runs MIN/MAX over the whole table

    def get_queryset(self, request):
        return Case.objects.visible_to(request.user)


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    list_display = ["case", "kind", "from_stage", "to_stage", "actor", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["case", "actor"]
    raw_id_fields = ["case", "actor"]
    search_fields = ["=case__reference"]
    reference_lookup = "case__reference"

    def get_queryset(self, request):
        return CaseEvent.objects.filter(case__in=Case.objects.visible_to(request.user).values("pk"))


# Claimants are visible through their cases: the claimants app cannot import cases, so the
# scoping is added here. A claimant with no visible case is seen only by whole-organisation roles.
admin.site.unregister(Claimant)


@admin.register(Claimant)
class ScopedClaimantAdmin(ClaimantAdmin):
    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.sees_all_offices:
            return queryset
        return queryset.filter(pk__in=Case.objects.visible_to(request.user).values("claimant_id"))
