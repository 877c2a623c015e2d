"""Changes that move the statistics schedule a (debounced) refresh once their transaction commits."""

from django.db import transaction
from django.db.models.signals import post_save

from cases.models import Case, CaseRespondent, Deadline, LedgerEntry

from .tasks import schedule_refresh


def _changed(sender, **kwargs):
    transaction.on_commit(schedule_refresh)


def connect() -> None:
    for model in (Case, LedgerEntry, CaseRespondent, Deadline):
        post_save.connect(_changed, sender=model, dispatch_uid=f"statistics-refresh-{model._meta.label_lower}")
