"""Every change to a case. Lock, check, write — in one transaction, with a CaseEvent.

Each service takes the acting user, loads the case *through* ``visible_to(actor)``
with a row lock (a case the actor may not see raises ``Case.DoesNotExist``, which
views answer with 404), checks the move, writes the change with
``update_fields`` and bumps ``version``, and appends the event. Two people acting
on the same case at once are serialised by the lock; the one who acted on an old
view of the case gets ``StaleCase`` (409 in the API), never a double transition.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.core.errors import CaseError, GuardFailed, IllegalTransition, InvalidInput, NotPermitted, StaleCase
from cases.core.models import Case, CaseEvent, CaseRespondent, EventKind, Respondent
from cases.core.references import new_reference
from cases.core.signals import case_changed, case_closing
from cases.core.stages import TRANSITIONS, Outcome, Stage, blocking_reason, is_back_move
from claimants.models import Claimant
from paralegals.models import Office, Role

NOTE_MAX_LENGTH = 10_000
# Case details staff enter at intake and may edit later, in display order (stage, outcome and
# assignment have their own services). Intake, the edit form and case_update_details share it.
CASE_DETAIL_FIELDS = (
    "country_of_work",
    "sector",
    "job_title",
    "work_started_on",
    "work_ended_on",
    "departure_date",
    "estimated_amount",
    "estimated_currency",
    "summary",
    "flag_unsafe_contact",
    "flag_do_not_contact_employer",
    "flag_waiver_under_pressure",
)
EDITABLE_FIELDS = frozenset(CASE_DETAIL_FIELDS)


def _check_fresh(case: Case, *, expected_stage: str | None, expected_version: int | None) -> None:
    if expected_stage is not None and case.stage != expected_stage:
        raise StaleCase(current_stage=case.stage)
    if expected_version is not None and case.version != expected_version:
        raise StaleCase(current_stage=case.stage)


def _require_reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(message)
    return reason


def _event(case: Case, actor, kind: str, **values) -> CaseEvent:
    return CaseEvent.objects.create(case=case, actor=actor, kind=kind, **values)


def _announce(case: Case, actor, *, new_stage: str | None = None) -> None:
    """In the same transaction, tell the packages built on the core that the case changed (``cases.core.signals``):
    its deadlines are recomputed and follow the assignee, and a new stage is announced to the worker."""
    case_changed.send(sender=Case, case=case, actor=actor, new_stage=new_stage)


def _may_open_in(actor, office: Office) -> bool:
    return actor.is_active and (actor.sees_all_offices or actor.office_id == office.pk)


@transaction.atomic
def case_open(
    *,
    actor,
    claimant: Claimant,
    office: Office,
    respondents: Iterable[tuple[Respondent, str]],
    country_of_work: str,
    sector: str,
    job_title: str = "",
    work_started_on: date | None = None,
    work_ended_on: date | None = None,
    departure_date: date | None = None,
    summary: str = "",
    estimated_amount: Decimal | None = None,
    estimated_currency: str = "",
    flag_unsafe_contact: bool = False,
    flag_do_not_contact_employer: bool = False,
    flag_waiver_under_pressure: bool = False,
) -> Case:
    """Open a case at intake for ``claimant`` in ``office``, against ``respondents`` (respondent, role) pairs.

    The reference is random; a collision (rare: ~39 bits) is retried in a savepoint.
    """
    if not _may_open_in(actor, office):
        raise NotPermitted(_("You can only open cases in your own office."))
    if work_started_on and work_ended_on and work_ended_on < work_started_on:
        raise InvalidInput(_("The work period ends before it starts."))
    if (estimated_amount is None) != (not estimated_currency):
        raise InvalidInput(_("Give the rough amount together with its currency."))
    for attempt in range(5):
        try:
            with transaction.atomic():
                case = Case.objects.create(
                    reference=new_reference(),
                    claimant=claimant,
                    office=office,
                    country_of_work=country_of_work,
                    sector=sector,
                    job_title=job_title,
                    work_started_on=work_started_on,
                    work_ended_on=work_ended_on,
                    departure_date=departure_date,
                    summary=summary,
                    estimated_amount=estimated_amount,
                    estimated_currency=estimated_currency.upper(),
                    flag_unsafe_contact=flag_unsafe_contact,
                    flag_do_not_contact_employer=flag_do_not_contact_employer,
                    flag_waiver_under_pressure=flag_waiver_under_pressure,
                    opened_by=actor,
                )
            break
        except IntegrityError:
            if attempt == 4:
                raise
    roles = {(respondent.pk, role): (respondent, role) for respondent, role in respondents}
    CaseRespondent.objects.bulk_create(
        CaseRespondent(case=case, respondent=respondent, role=role) for respondent, role in roles.values()
    )
    _event(case, actor, EventKind.OPENED, to_stage=Stage.INTAKE, payload={"office": office.pk})
    _announce(case, actor)
    return case


@transaction.atomic
def case_advance(
    *,
    actor,
    case_id: int,
    to_stage: str,
    expected_stage: str | None = None,
    expected_version: int | None = None,
    reason: str = "",
) -> Case:
    """Move an open case to another open stage. Moving back needs a reason; closing is case_close."""
    case = Case.objects.lock_for(actor, case_id)
    _check_fresh(case, expected_stage=expected_stage, expected_version=expected_version)
    if to_stage == Stage.CLOSED:
        raise IllegalTransition(_("Close a case with an outcome instead."), current_stage=case.stage)
    if to_stage not in TRANSITIONS[case.stage]:
        raise IllegalTransition(blocking_reason(case, to_stage), current_stage=case.stage)
    if is_back_move(case.stage, to_stage):
        reason = _require_reason(reason, _("Say why the case is moving back."))
    elif blocked := blocking_reason(case, to_stage):
        raise GuardFailed(blocked, current_stage=case.stage)
    from_stage = case.stage
    case.stage, case.stage_changed_at = to_stage, timezone.now()
    case.save_bumping_version(["stage", "stage_changed_at", *case.reach(to_stage)])
    _event(case, actor, EventKind.STAGE_CHANGED, from_stage=from_stage, to_stage=to_stage, reason=reason.strip())
    _announce(case, actor, new_stage=to_stage)
    return case


@transaction.atomic
def case_close(
    *,
    actor,
    case_id: int,
    outcome: str,
    reason: str,
    expected_stage: str | None = None,
    expected_version: int | None = None,
) -> Case:
    """Close an open case with an outcome and the reason for it.

    A "recovered" outcome needs a recorded disbursement to the worker (money awarded or paid to the office is not
    yet recovered for the worker).
    """
    case = Case.objects.lock_for(actor, case_id)
    _check_fresh(case, expected_stage=expected_stage, expected_version=expected_version)
    if Stage.CLOSED not in TRANSITIONS[case.stage]:
        raise IllegalTransition(_("The case is already closed."), current_stage=case.stage)
    if outcome not in Outcome.values:
        raise InvalidInput(_("Choose an outcome to close the case."))
    case_closing.send(sender=Case, case=case, outcome=outcome)  # money refuses "recovered" without a disbursement
    reason = _require_reason(reason, _("Say why the case is being closed."))
    from_stage = case.stage
    case.stage, case.stage_changed_at = Stage.CLOSED, timezone.now()
    case.outcome, case.outcome_reason, case.closed_at = outcome, reason, case.stage_changed_at
    case.save_bumping_version(["stage", "stage_changed_at", "outcome", "outcome_reason", "closed_at"])
    _event(
        case,
        actor,
        EventKind.CLOSED,
        from_stage=from_stage,
        to_stage=Stage.CLOSED,
        reason=reason,
        payload={"outcome": outcome},
    )
    _announce(case, actor, new_stage=Stage.CLOSED)
    return case


@transaction.atomic
def case_reopen(*, actor, case_id: int, reason: str, to_stage: str | None = None) -> Case:
    """A coordinator reopens a closed case, by default in the stage it was closed from."""
    if not actor.is_coordinator:
        raise NotPermitted(_("Only a coordinator can reopen a case."))
    case = Case.objects.lock_for(actor, case_id)
    if case.stage != Stage.CLOSED:
        raise IllegalTransition(_("Only a closed case can be reopened."), current_stage=case.stage)
    if case.anonymised_at is not None:
        raise IllegalTransition(
            _("The worker's personal data was removed from this case: it cannot be reopened."), current_stage=case.stage
        )
    reason = _require_reason(reason, _("Say why the case is being reopened."))
    if to_stage is None:
        last_close = case.events.filter(kind=EventKind.CLOSED).order_by("-created_at", "-id").first()
        to_stage = last_close.from_stage if last_close and last_close.from_stage else Stage.INTAKE
    if to_stage not in Stage.values or to_stage == Stage.CLOSED:
        raise InvalidInput(_("Choose an open stage to reopen the case in."))
    previous_outcome = case.outcome
    case.stage, case.stage_changed_at = to_stage, timezone.now()
    case.outcome, case.outcome_reason, case.closed_at = "", "", None
    fields = ["stage", "stage_changed_at", "outcome", "outcome_reason", "closed_at", *case.reach(to_stage)]
    case.save_bumping_version(fields)
    _event(
        case,
        actor,
        EventKind.REOPENED,
        from_stage=Stage.CLOSED,
        to_stage=to_stage,
        reason=reason,
        payload={"previous_outcome": previous_outcome},
    )
    _announce(case, actor, new_stage=to_stage)
    return case


@transaction.atomic
def case_assign(*, actor, case_id: int, assignee, reason: str = "", expected_version: int | None = None) -> Case:
    """A coordinator assigns (or reassigns) the case to a paralegal who works where the case is."""
    if not actor.is_coordinator:
        raise NotPermitted(_("Only a coordinator can assign cases."))
    case = Case.objects.lock_for(actor, case_id)
    _check_fresh(case, expected_stage=None, expected_version=expected_version)
    case.check_open(_("A closed case cannot be assigned."))
    if not assignee.is_active or assignee.role not in (Role.PARALEGAL, Role.COORDINATOR):
        raise InvalidInput(_("Cases can only be assigned to active paralegals or coordinators."))
    if assignee.office_id != case.office_id and not actor.sees_all_offices:
        raise InvalidInput(_("This paralegal works in another office."))
    if case.assigned_to_id == assignee.pk:
        raise InvalidInput(_("The case is already assigned to this person."))
    previous = case.assigned_to_id
    case.assigned_to = assignee
    case.save_bumping_version(["assigned_to"])
    _event(case, actor, EventKind.ASSIGNED, reason=reason.strip(), payload={"from": previous, "to": assignee.pk})
    _announce(case, actor)  # deadline reminders follow the new assignee
    return case


@transaction.atomic
def case_take(*, actor, case_id: int, expected_version: int | None = None) -> Case:
    """A paralegal (or coordinator) assigns an unassigned, open case of their own office to themselves.

    Only where the office allows it (``Office.paralegals_may_take_cases``). Two people taking the same case at
    once are serialised by the lock: the second finds it assigned and gets StaleCase ("already assigned to …").
    """
    if not actor.is_active or actor.role not in (Role.PARALEGAL, Role.COORDINATOR):
        raise NotPermitted(_("Only paralegals and coordinators can take cases."))
    case = Case.objects.lock_for(actor, case_id)
    if actor.office_id != case.office_id:
        raise NotPermitted(_("You can only take cases of your own office."))
    if not case.office.paralegals_may_take_cases:
        raise NotPermitted(_("In this office a coordinator assigns the cases; paralegals cannot take them."))
    case.check_open(_("A closed case cannot be taken."))
    if case.assigned_to_id == actor.pk:
        raise StaleCase(_("The case is already assigned to you."), current_stage=case.stage)
    if case.assigned_to_id is not None:
        holder = case.assigned_to
        raise StaleCase(
            _("The case is already assigned to %(name)s.") % {"name": holder.get_full_name() or holder.username},
            current_stage=case.stage,
        )
    _check_fresh(case, expected_stage=None, expected_version=expected_version)
    case.assigned_to = actor
    case.save_bumping_version(["assigned_to"])
    _event(case, actor, EventKind.ASSIGNED, payload={"from": None, "to": actor.pk, "taken": True})
    _announce(case, actor)  # deadline reminders follow the new assignee, as in case_assign
    return case


@dataclass(frozen=True)
class NotAssigned:
    """A case a bulk assignment left alone: its id, its reference (blank when the actor may not see it), why."""

    case_id: int
    reference: str
    reason: str


@dataclass(frozen=True)
class BulkAssignment:
    assigned: list[Case]
    not_assigned: list[NotAssigned]


BULK_ASSIGN_MAX = 100


def case_assign_bulk(*, actor, case_ids: Sequence[int], assignee, reason: str = "") -> BulkAssignment:
    """Assign each of ``case_ids`` to ``assignee`` through case_assign, each case in its own transaction.

    One case refused (closed, another office, already this person's) does not stop the others: each failure is
    reported with the service's reason. A case the actor may not see is "not found", exactly like an id that
    does not exist, so nothing about it leaks.
    """
    if not actor.is_coordinator:
        raise NotPermitted(_("Only a coordinator can assign cases."))
    case_ids = list(dict.fromkeys(case_ids))  # each case once, in the order given
    if len(case_ids) > BULK_ASSIGN_MAX:
        raise InvalidInput(_("Assign at most %(max)d cases at a time.") % {"max": BULK_ASSIGN_MAX})
    references = dict(Case.objects.visible_to(actor).filter(pk__in=case_ids).values_list("pk", "reference"))
    assigned, not_assigned = [], []
    for case_id in case_ids:
        try:
            assigned.append(case_assign(actor=actor, case_id=case_id, assignee=assignee, reason=reason))
        except Case.DoesNotExist:
            not_assigned.append(NotAssigned(case_id, "", _("Not found.")))
        except CaseError as exc:
            not_assigned.append(NotAssigned(case_id, references.get(case_id, ""), str(exc.message)))
    return BulkAssignment(assigned=assigned, not_assigned=not_assigned)


@transaction.atomic
def case_add_note(*, actor, case_id: int, text: str) -> CaseEvent:
    """Add a note to the case timeline."""
    text = _require_reason(text, _("The note is empty."))
    if len(text) > NOTE_MAX_LENGTH:
        raise InvalidInput(_("The note is too long (at most %(max)d characters).") % {"max": NOTE_MAX_LENGTH})
    case = Case.objects.lock_for(actor, case_id)
    if case.anonymised_at is not None:  # its texts were removed for good: a note would bring personal data back
        raise IllegalTransition(_("The worker's personal data was removed from this case."), current_stage=case.stage)
    case.save_bumping_version([])
    return _event(case, actor, EventKind.NOTE, reason=text)


@transaction.atomic
def case_update_details(*, actor, case_id: int, expected_version: int, changes: dict) -> Case:
    """Edit case details. An edit made on an older version of the case is refused (StaleCase)."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise InvalidInput(_("These fields cannot be edited here: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    case = Case.objects.lock_for(actor, case_id)
    _check_fresh(case, expected_stage=None, expected_version=expected_version)
    changed = sorted(name for name, value in changes.items() if getattr(case, name) != value)
    if not changed:
        return case
    for name in changed:
        setattr(case, name, changes[name])
    if case.work_started_on and case.work_ended_on and case.work_ended_on < case.work_started_on:
        raise InvalidInput(_("The work period ends before it starts."))
    case.save_bumping_version(changed)
    # Field names only: values may be personal data and the timeline is widely read.
    _event(case, actor, EventKind.DETAILS_CHANGED, payload={"fields": changed})
    _announce(case, actor)
    return case
