from django.contrib import admin

from .models import Claimant, ConsentRecord, ContactChannel


class ContactChannelInline(admin.TabularInline):
    model = ContactChannel
    extra = 0
    fields = ["kind", "value", "consent", "safe_to_contact", "in_home_country"]


class ConsentRecordInline(admin.TabularInline):
    model = ConsentRecord
    extra = 0
    fields = ["purpose", "given", "method", "recorded_at", "recorded_by", "note"]
    readonly_fields = ["purpose", "given", "method", "recorded_at", "recorded_by", "note"]
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # consent is recorded through the intake flow, with the actor


@admin.register(Claimant)
class ClaimantAdmin(admin.ModelAdmin):
    list_display = ["full_name", "preferred_language", "nationality", "created_at"]
    list_filter = ["preferred_language", "nationality"]
    # Exact-ish search only: a LIKE over a million names is a full scan.
    search_fields = ["^full_name"]
    inlines = [ContactChannelInline, ConsentRecordInline]
    readonly_fields = ["created_at", "updated_at"]
