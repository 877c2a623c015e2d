"""Admin for the money ledger: exchange rates are maintained here; entries and plans are read-only.

Ledger entries are written only by ``cases.money.services.ledger`` (append-only, corrected by reversing entries), so the
admin lists them for support and never edits them; every list is limited to the cases the user may see.
"""

from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cases.core.admin import ReadOnlyAdmin
from cases.core.models import Case
from cases.money.models import ExchangeRate, Instalment, InstalmentPlan, LedgerEntry


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ["date", "currency", "rate", "reporting_currency", "source", "updated_at"]
    list_filter = ["currency"]
    search_fields = ["=currency"]
    ordering = ["-date", "currency"]
    date_hierarchy = None

    @admin.display(description=_("to"))
    def reporting_currency(self, obj) -> str:
        return settings.REPORTING_CURRENCY


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = [
        "case",
        "entry_date",
        "kind",
        "display_amount",
        "display_reporting_amount",
        "source",
        "reverses",
        "actor",
        "created_at",
    ]
    list_filter = ["kind", "currency", "source"]
    list_select_related = ["case", "actor", "reverses"]
    raw_id_fields = ["case", "claimant", "respondent", "reverses", "actor"]
    search_fields = ["=case__reference"]
    reference_lookup = "case__reference"

    def get_queryset(self, request):
        return LedgerEntry.objects.filter(case__in=Case.objects.visible_to(request.user).values("pk"))


class InstalmentInline(admin.TabularInline):
    model = Instalment
    extra = 0
    raw_id_fields = ["paid_entry"]
    fields = ["due_date", "amount_minor", "paid_entry"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(InstalmentPlan)
class InstalmentPlanAdmin(ReadOnlyAdmin):
    list_display = ["case", "display_total", "respondent", "source", "created_by", "created_at"]
    list_select_related = ["case", "respondent", "created_by"]
    raw_id_fields = ["case", "respondent", "created_by"]
    search_fields = ["=case__reference"]
    reference_lookup = "case__reference"
    inlines = [InstalmentInline]

    def get_queryset(self, request):
        return InstalmentPlan.objects.filter(case__in=Case.objects.visible_to(request.user).values("pk"))
