"""The deadline models: deadlines and tasks, reminders (the outbox), staff notifications."""

from cases.deadlines.models.deadline import Deadline, DeadlineKind, DeadlineQuerySet, DeadlineStatus
from cases.deadlines.models.notification import (
    Notification,
    NotificationQuerySet,
    NotificationSetting,
    StaffReminderKind,
)
from cases.deadlines.models.reminder import Reminder, ReminderChannel, ReminderQuerySet, ReminderStatus

__all__ = [
    "Deadline",
    "DeadlineKind",
    "DeadlineQuerySet",
    "DeadlineStatus",
    "Notification",
    "NotificationQuerySet",
    "NotificationSetting",
    "Reminder",
    "ReminderChannel",
    "ReminderQuerySet",
    "ReminderStatus",
    "StaffReminderKind",
]
