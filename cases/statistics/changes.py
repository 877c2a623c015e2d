"""What changed, for the statistics' incremental refresh: marks (``StatPending`` rows) written after commit.

A save of a case, a ledger entry, a case's respondent, a worker or a respondent notes what it touches in a
per-thread batch; once the transaction commits the batch is written in one ``bulk_create`` and a (debounced)
refresh is scheduled. The refresh (``incremental.py``) compares each marked case with what was counted for it
(``StatCase``), so a mark needs no old values and a change costs no query before its commit.

A mark lost in a crash between the commit and the write is made good by the nightly full rebuild.
"""

import threading

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from cases.core.models import NOT_LOADED, Case, CaseRespondent, Respondent
from cases.deadlines.models import Deadline
from cases.money.models import LedgerEntry
from cases.statistics.models import StatPending
from cases.statistics.tasks import schedule_refresh
from claimants.models import Claimant

_pending = threading.local()


class _Batch:
    """Marks gathered until a commit; the first of its on-commit callbacks writes them all (one INSERT)."""

    def __init__(self):
        self.marks: list[dict] = []
        self.done = False

    def flush(self) -> None:
        if self.done:
            return
        self.done = True
        unique = {tuple(sorted(mark.items())): mark for mark in self.marks}
        StatPending.objects.bulk_create(StatPending(**mark) for mark in unique.values())
        schedule_refresh()


def _note(**mark) -> None:
    """Keep ``mark`` until the current transaction commits (written at once outside one).

    Marks noted in a transaction that then rolled back stay in the batch and are written with the next commit in
    this thread: a refresh of cells that did not change, never a change left out.
    """
    batch = getattr(_pending, "batch", None)
    if batch is None or batch.done:
        batch = _pending.batch = _Batch()
    batch.marks.append(mark)
    transaction.on_commit(batch.flush)


def _case_saved(sender, instance: Case, **kwargs) -> None:
    _note(case_id=instance.pk)


def _entry_saved(sender, instance: LedgerEntry, **kwargs) -> None:
    _note(case_id=instance.case_id, month=instance.entry_date.replace(day=1))


def _case_respondent_changed(sender, instance: CaseRespondent, created: bool = True, **kwargs) -> None:
    _note(case_id=instance.case_id)
    _note(respondent_id=instance.respondent_id)
    if not created:
        _note(everything=True)  # an edited link: the respondent it named before is not known


def _claimant_saved(sender, instance: Claimant, created: bool, **kwargs) -> None:
    if not created:
        _note(claimant_id=instance.pk)


def _respondent_saved(sender, instance: Respondent, created: bool, **kwargs) -> None:
    if created:
        instance._stat_loaded = instance.successor_of_id
        return  # no case names it yet
    if getattr(instance, "_stat_loaded", NOT_LOADED) != instance.successor_of_id:
        _note(everything=True)  # a chain of successors changed: every respondent row may regroup
        instance._stat_loaded = instance.successor_of_id


def _everything(sender, **kwargs) -> None:
    _note(everything=True)


def _deadline_changed(sender, **kwargs) -> None:
    # Overdue deadlines are recounted whole by every refresh; only the refresh itself is needed.
    transaction.on_commit(schedule_refresh)


def connect() -> None:
    receivers = [
        (post_save, Case, _case_saved),
        (post_delete, Case, _everything),
        (post_save, LedgerEntry, _entry_saved),
        (post_save, CaseRespondent, _case_respondent_changed),
        (post_delete, CaseRespondent, _case_respondent_changed),
        (post_save, Claimant, _claimant_saved),
        (post_save, Respondent, _respondent_saved),
        (post_delete, Respondent, _everything),
        (post_save, Deadline, _deadline_changed),
        (post_delete, Deadline, _deadline_changed),
    ]
    for signal, model, receiver in receivers:
        signal.connect(receiver, sender=model, dispatch_uid=f"statistics-{receiver.__name__}-{model._meta.label_lower}")
