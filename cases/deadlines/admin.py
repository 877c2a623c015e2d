"""Admin for the reminder outbox and the inbox: read-only, so staff can see what was sent, waiting or failed.

Reminders are written by the rules and sent by the sweep (``cases.deadlines.reminders.sweep``); a failed one shows its
attempts and last error here. Notifications are the inbox rows the sweep made from ``app`` reminders. Lists are limited
to the cases the user may see (rows without a case: to their recipient).
"""

from django.contrib import admin
from django.db.models import Q

from cases.core.admin import ReadOnlyAdmin
from cases.core.models import Case
from cases.deadlines.models import Notification, Reminder


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
    # The context is shown as stored; it never holds a PIN or amounts (see cases.deadlines.reminders.messages).
    readonly_fields = [field.name for field in Reminder._meta.fields]

    def get_queryset(self, request):
        visible = Case.objects.visible_to(request.user).values("pk")
        queryset = super().get_queryset(request)
        if request.user.is_authenticated and request.user.sees_all_offices:
            return queryset
        return queryset.filter(Q(case__in=visible) | Q(case__isnull=True, recipient_user=request.user))


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["template", "case", "user", "urgent", "created_at", "read_at"]
    list_filter = ["template", "urgent"]
    list_select_related = ["case", "user"]
    raw_id_fields = ["user", "case", "reminder"]
    search_fields = ["=case__reference"]
    reference_lookup = "case__reference"
    ordering = ["-created_at", "-id"]
    show_full_result_count = False
    readonly_fields = [field.name for field in Notification._meta.fields]

    def get_queryset(self, request):
        visible = Case.objects.visible_to(request.user).values("pk")
        queryset = super().get_queryset(request)
        if request.user.is_authenticated and request.user.sees_all_offices:
            return queryset
        return queryset.filter(Q(case__in=visible) | Q(case__isnull=True, user=request.user))
