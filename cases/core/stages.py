"""Stages, the moves between them, and the guards that must hold to enter a stage.

A plain dict of allowed moves and small named guard functions (rule 8 in docs/architecture.md). The
services apply them under a row lock; pages use ``available_moves`` to show only the
moves allowed now, each with the guard's reason when it is blocked.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from claimants.models import ConsentPurpose

if TYPE_CHECKING:
    from cases.core.models import Case


class Stage(models.TextChoices):
    INTAKE = "intake", _("Intake")
    EVIDENCE = "evidence", _("Evidence")
    ASSIGNMENT = "assignment", _("Assignment")
    REDRESS = "redress", pgettext_lazy("stage", "Redress")
    CLOSED = "closed", _("Closed")


class Outcome(models.TextChoices):
    RECOVERED_FULL = "recovered_full", _("Recovered in full")
    RECOVERED_PART = "recovered_part", _("Recovered in part")
    NOTHING = "nothing", _("Nothing recovered")
    WITHDRAWN = "withdrawn", _("Withdrawn by the worker")
    REFERRED = "referred", _("Referred elsewhere")
    UNREACHABLE = "unreachable", _("Worker unreachable")


ORDER = [Stage.INTAKE, Stage.EVIDENCE, Stage.ASSIGNMENT, Stage.REDRESS, Stage.CLOSED]

# Every move a case may make with case_advance / case_close. A case can be closed from
# any open stage (a worker may withdraw at intake); reopening is case_reopen's job.
TRANSITIONS: dict[str, set[str]] = {
    Stage.INTAKE: {Stage.EVIDENCE, Stage.CLOSED},
    Stage.EVIDENCE: {Stage.ASSIGNMENT, Stage.INTAKE, Stage.CLOSED},
    Stage.ASSIGNMENT: {Stage.REDRESS, Stage.EVIDENCE, Stage.CLOSED},
    Stage.REDRESS: {Stage.CLOSED, Stage.EVIDENCE, Stage.ASSIGNMENT},
    Stage.CLOSED: set(),
}

# Outcomes that claim money reached the worker: case_close requires a disbursement in the ledger for them.
RECOVERY_OUTCOMES = {Outcome.RECOVERED_FULL, Outcome.RECOVERED_PART}


def is_back_move(from_stage: str, to_stage: str) -> bool:
    """Moving back (e.g. redress → evidence when more proof is needed) needs a reason."""
    return to_stage != Stage.CLOSED and ORDER.index(to_stage) < ORDER.index(from_stage)


# --- Guards: each returns None when the case may enter the stage, else the reason it may not.

Guard = Callable[["Case"], str | None]


def needs_recorded_consent(case: "Case") -> str | None:
    if not case.claimant.has_consent(ConsentPurpose.DATA_PROCESSING):
        return str(_("The worker's consent to use their information has not been recorded."))
    return None


def needs_a_respondent(case: "Case") -> str | None:
    if not case.case_respondents.exists():
        return str(_("Add at least one respondent (who owes the wages)."))
    return None


def needs_an_assigned_paralegal(case: "Case") -> str | None:
    if case.assigned_to_id is None:
        return str(_("Assign a paralegal before starting redress."))
    return None


GUARDS: dict[str, list[Guard]] = {
    Stage.INTAKE: [],
    Stage.EVIDENCE: [needs_recorded_consent],
    Stage.ASSIGNMENT: [needs_recorded_consent, needs_a_respondent],
    Stage.REDRESS: [needs_a_respondent, needs_an_assigned_paralegal],
    # Closing needs an outcome; case_close checks it since the outcome is an argument.
    Stage.CLOSED: [],
}


def blocking_reason(case: "Case", to_stage: str) -> str | None:
    """Why ``case`` may not move to ``to_stage`` now, or None if it may."""
    if to_stage not in TRANSITIONS[case.stage]:
        return str(
            _("A case cannot move from %(from)s to %(to)s.")
            % {
                "from": Stage(case.stage).label,
                "to": Stage(to_stage).label,
            }
        )
    if is_back_move(case.stage, to_stage):
        return None  # moving back is always allowed, with a reason
    for guard in GUARDS[to_stage]:
        reason = guard(case)
        if reason:
            return reason
    return None


@dataclass(frozen=True)
class Move:
    to_stage: str
    label: str
    back: bool
    blocked_by: str | None


def available_moves(case: "Case") -> list[Move]:
    """The moves from the case's current stage, in stage order, each with its blocking reason."""
    return [
        Move(
            to_stage=stage,
            label=str(Stage(stage).label),
            back=is_back_move(case.stage, stage),
            blocked_by=blocking_reason(case, stage),
        )
        for stage in ORDER
        if stage in TRANSITIONS[case.stage]
    ]
