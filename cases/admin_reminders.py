"""Admin for the reminder outbox: read-only, so staff can see what was sent, what is waiting and what failed.

Reminders are written by the rules and sent by the sweep (``cases.reminders_sweep``); a failed one shows its attempts
and last error here. Lists are limited to the cases the user may see (reminders without a case: to their recipient).
"""

from django.contrib import admin
from django.db.models import Q

from .admin import ReadOnlyAdmin
from .models import Case, Reminder


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = [
        "template",
        "case",
        "channel",
        "recipient_user",
        "status",
        "due_at",
        "attempts",
        "next_attempt_at",
        "last_error",
        "sent_at",
    ]
    list_filter = ["status", "channel", "template", "urgent"]
    list_select_related = ["case", "recipient_user"]
    raw_id_fields = ["case", "recipient_user", "recipient_channel"]
    search_fields = ["=case__reference"]
    reference_lookup = "case__reference"
    ordering = ["-due_at", "-id"]
    # The context is shown as stored; it never holds a PIN or amounts (see cases.reminder_messages).
    readonly_fields = [field.name for field in Reminder._meta.fields]

    def get_queryset(self, request):
        visible = Case.objects.visible_to(request.user).values("pk")
        queryset = super().get_queryset(request)
        if request.user.is_authenticated and request.user.sees_all_offices:
            return queryset
        return queryset.filter(Q(case__in=visible) | Q(case__isnull=True, recipient_user=request.user))
