"""The reminder outbox (rule 5 in docs/architecture.md): a reminder is a row first, written in the transaction that
causes it.

Celery beat's sweep claims due rows with ``select_for_update(skip_locked=True)``, sends them through a channel
backend and marks them sent; Celery is the worker, not the record. The unique ``idempotency_key`` makes writing the
same reminder twice (a rule re-run, a retried transaction) a no-op, and ``sent_at`` makes sending it twice impossible.
Messages never carry the PIN or amounts; the worker is only contacted on channels with consent that are marked safe.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.core.models import Case


class ReminderChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    # Staff only: delivered as a Notification row in the app's inbox (cases.deadlines.models.notification).
    APP = "app", _("In the app")


class ReminderStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed (gave up)")
    CANCELLED = "cancelled", _("Cancelled")


class ReminderQuerySet(models.QuerySet):
    def due(self, now) -> "ReminderQuerySet":
        """Pending reminders whose time has come (and whose retry back-off has passed)."""
        return self.filter(status=ReminderStatus.PENDING, due_at__lte=now, next_attempt_at__lte=now)


class Reminder(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reminders", null=True, blank=True)
    # What the reminder is about (e.g. "deadline", "instalment", "inactivity", "departure", "status_notice").
    template = models.CharField(_("message"), max_length=50)
    # Values the template needs (ids, dates, stage codes): never the PIN, amounts or free text about the worker.
    context = models.JSONField(default=dict, blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=ReminderChannel.choices)
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    # For the worker: the contact channel to use; consent and safety are checked again at send time.
    recipient_channel = models.ForeignKey(
        "claimants.ContactChannel", on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    language = models.CharField(_("language"), max_length=12, default="en")
    urgent = models.BooleanField(_("urgent"), default=False)
    idempotency_key = models.CharField(max_length=200, unique=True)
    due_at = models.DateTimeField(_("due"), db_index=True)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    status = models.CharField(
        _("status"), max_length=20, choices=ReminderStatus.choices, default=ReminderStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # What the channel provider answered (message id), for tracing a delivery.
    provider_reference = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="reminder_sweep")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(recipient_user__isnull=False) | models.Q(recipient_channel__isnull=False),
                name="reminder_has_a_recipient",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False), name="reminder_sent_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template} ({self.get_channel_display()}, {self.get_status_display()})"
