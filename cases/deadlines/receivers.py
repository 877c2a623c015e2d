"""The deadlines package hears the case core (``cases.core.signals``); connected in ``CasesConfig.ready``.

Each receiver runs inside the core service's transaction, with the case row locked.
"""

from cases.core.signals import case_changed, case_facts_changed
from cases.deadlines.models import Deadline
from cases.deadlines.reminders import rules
from cases.deadlines.services.deadlines import deadlines_recompute


def on_case_changed(sender, *, case, actor, new_stage=None, **kwargs) -> None:
    """The case's deadlines answer to whoever it is assigned to now (``Deadline.assignee``, read by My work), are
    recomputed from its dates (their reminders re-scheduled; all closed when the case closes), and a new stage is
    announced to the worker (the status notice rule)."""
    Deadline.objects.follow_case_assignee(case)
    deadlines_recompute(case=case, actor=actor)
    if new_stage is not None:
        rules.status_notice(case, new_stage)


def on_case_facts_changed(sender, *, case, actor, **kwargs) -> None:
    """An award or settlement changed: limitation periods that run from it move."""
    deadlines_recompute(case=case, actor=actor)


def connect() -> None:
    case_changed.connect(on_case_changed, dispatch_uid="cases.deadlines.on_case_changed")
    case_facts_changed.connect(on_case_facts_changed, dispatch_uid="cases.deadlines.on_case_facts_changed")
