"""The staff inbox: every staff reminder is also a notification in the app.

A staff reminder is written to the outbox twice, once per channel: ``app`` and ``email``. The sweep delivers an
``app`` reminder by inserting its ``Notification`` in the same transaction that marks the reminder sent (no outside
side effect, so exactly once; the one-to-one key makes a repeat a no-op). An ``email`` reminder is cancelled at send
time when its recipient chose "in the app only" for that kind (``NotificationSetting``), so a change of mind applies
to reminders already scheduled. Notifications carry no text of their own: they are rendered from the reminder's
template and context, like the email, in the reader's language.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.core.models import Case
from cases.deadlines.models.reminder import Reminder


class StaffReminderKind(models.TextChoices):
    """The staff reminder templates a person can choose a delivery for (``Reminder.template``)."""

    DEADLINE = "deadline", _("A deadline or task is coming up")
    OVERDUE = "deadline_overdue", _("A deadline is overdue (coordinators)")
    INACTIVE = "inactive_case", _("A case has had no activity")
    DEPARTURE = "departure_soon", _("A worker leaves the country soon")
    INSTALMENT_DUE = "instalment_due", _("An instalment is due")
    INSTALMENT_MISSED = "instalment_missed", _("An instalment was missed")


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    reminder = models.OneToOneField(
        Reminder, on_delete=models.CASCADE, null=True, blank=True, related_name="notification"
    )
    template = models.CharField(_("kind"), max_length=50)
    context = models.JSONField(default=dict, blank=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    created_at = models.DateTimeField(_("received"), db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="notification_inbox"),
            models.Index(fields=["user"], condition=models.Q(read_at__isnull=True), name="notification_unread"),
        ]

    def __str__(self) -> str:
        return f"{self.template} → {self.user_id}"


class NotificationSetting(models.Model):
    """A person's choice for one kind of reminder: in the app only, or also by email (the default)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings")
    template = models.CharField(_("kind"), max_length=50, choices=StaffReminderKind.choices)
    by_email = models.BooleanField(_("also by email"), default=True)

    class Meta:
        verbose_name = _("notification setting")
        verbose_name_plural = _("notification settings")
        constraints = [
            models.UniqueConstraint(fields=["user", "template"], name="notification_setting_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.template} ({'email' if self.by_email else 'app'})"
