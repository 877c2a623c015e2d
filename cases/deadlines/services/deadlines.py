"""Deadlines: computed from the case's jurisdiction (limitation periods) and the worker's departure, or entered by hand.

``deadlines_recompute`` runs inside the business transactions of ``cases.core.services.cases`` (the case row is already
locked) so a changed trigger date updates the one open computed deadline, writes a ``DEADLINE_CHANGED`` event with the
old and new dates (no personal data), and re-schedules its reminders in the same transaction (rules 2, 3 and 5 in
docs/architecture.md). A trigger that disappears cancels the deadline. Date-only deadlines end at 23:59 in the office's
time zone.
"""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.core.errors import InvalidInput
from cases.core.models import Case, CaseEvent, EventKind
from cases.core.office_time import office_zone
from cases.core.stages import Stage
from cases.deadlines.models import Deadline, DeadlineKind, DeadlineStatus
from cases.deadlines.reminders import rules as reminder_rules
from cases.money.models import (
    CalculationSettings,
    EntryKind,
    Jurisdiction,
    LedgerEntry,
    LimitationRule,
    LimitationTrigger,
)
from paralegals.models import Role

END_OF_DAY = time(23, 59)
NOTE_MAX_LENGTH = 2_000
TITLE_MAX_LENGTH = 200
COMPUTED_KINDS = (DeadlineKind.LIMITATION, DeadlineKind.DEPARTURE)
# A deadline stays "closed" (no more reminders, not recomputed) once it is met, missed or cancelled.
SETTABLE_STATUSES = (DeadlineStatus.MET, DeadlineStatus.CANCELLED)


def add_months(day: date, months: int) -> date:
    """Calendar arithmetic: 31 January + 1 month is 28 (or 29) February, never 3 March."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def end_of_day(day: date, zone_name: str) -> datetime:
    """23:59 local time on ``day`` in ``zone_name``, as an aware UTC datetime (DST-correct)."""
    local = datetime.combine(day, END_OF_DAY, tzinfo=office_zone(zone_name))
    return local.astimezone(ZoneInfo("UTC"))


def limitation_due(rule: LimitationRule, trigger_date: date) -> date:
    if rule.period_months:
        return add_months(trigger_date, rule.period_months)
    return date.fromordinal(trigger_date.toordinal() + rule.period_days)


def case_jurisdiction(case: Case) -> Jurisdiction | None:
    """The calculation's jurisdiction if set, else the only jurisdiction of the country of work (else None)."""
    chosen = CalculationSettings.objects.filter(case=case, jurisdiction__isnull=False).values_list(
        "jurisdiction_id", flat=True
    )
    jurisdiction_id = chosen.first()
    if jurisdiction_id is not None:
        return Jurisdiction.objects.get(pk=jurisdiction_id)
    candidates = list(Jurisdiction.objects.filter(country=case.country_of_work)[:2])
    return candidates[0] if len(candidates) == 1 else None


def _award_date(case: Case) -> date | None:
    first = (
        LedgerEntry.objects.filter(case=case, kind__in=[EntryKind.AWARDED, EntryKind.SETTLED])
        .standing()
        .order_by("entry_date", "id")
        .values_list("entry_date", flat=True)
        .first()
    )
    return first


def trigger_date(case: Case, trigger: str) -> date | None:
    """The date a limitation period counts from. The case has no termination date of its own: it is the end of work."""
    if trigger in (LimitationTrigger.END_OF_CONTRACT, LimitationTrigger.TERMINATION):
        return case.work_ended_on
    if trigger == LimitationTrigger.DEPARTURE:
        return case.departure_date
    if trigger == LimitationTrigger.AWARD:
        return _award_date(case)
    return None


@dataclass(frozen=True)
class Computed:
    kind: str
    rule_key: str
    due_at: datetime
    computed_from: dict


def computed_deadlines(case: Case) -> list[Computed]:
    """What the case's computed deadlines should be now (nothing for a closed case)."""
    if case.stage == Stage.CLOSED:
        return []
    zone = case.office.timezone
    wanted = []
    if case.departure_date:
        wanted.append(
            Computed(
                DeadlineKind.DEPARTURE,
                "",
                end_of_day(case.departure_date, zone),
                {"rule": None, "trigger": "departure", "trigger_date": case.departure_date.isoformat(), "source": ""},
            )
        )
    jurisdiction = case_jurisdiction(case)
    if jurisdiction is None:
        return wanted
    for rule in LimitationRule.objects.filter(jurisdiction=jurisdiction).order_by("pk"):
        day = trigger_date(case, rule.trigger)
        if day is None:
            continue
        wanted.append(
            Computed(
                DeadlineKind.LIMITATION,
                f"rule:{rule.pk}",
                end_of_day(limitation_due(rule, day), zone),
                {
                    "rule": rule.pk,
                    "forum": rule.forum,
                    "trigger": rule.trigger,
                    "trigger_date": day.isoformat(),
                    "source": rule.source,
                },
            )
        )
    return wanted


def _event(case: Case, actor, deadline: Deadline, kind: str, **payload) -> None:
    # Ids, kinds, dates and statuses only: the note may hold personal data and the timeline is widely read.
    CaseEvent.objects.create(
        case=case, actor=actor, kind=kind, payload={"deadline": deadline.pk, "kind": deadline.kind, **payload}
    )


def _local_iso(deadline: Deadline) -> str:
    return deadline.due_at.astimezone(office_zone(deadline.timezone)).isoformat()


def deadlines_recompute(*, case: Case, actor=None) -> None:
    """Bring the case's computed deadlines in line with its trigger dates, and its reminders with its deadlines.

    Call it inside the transaction that changed the case (the case row locked by the caller). New computed
    deadlines are added (DEADLINE_ADDED), moved ones updated in place (DEADLINE_CHANGED, old and new date), ones
    whose trigger is gone cancelled. Idempotent: running it twice changes nothing the second time.
    """
    now = timezone.now()
    zone = case.office.timezone
    existing = {
        (deadline.kind, deadline.rule_key): deadline
        for deadline in Deadline.objects.filter(
            case=case, status=DeadlineStatus.OPEN, kind__in=COMPUTED_KINDS, computed_from__isnull=False
        )
    }
    for wanted in computed_deadlines(case):
        deadline = existing.pop((wanted.kind, wanted.rule_key), None)
        if deadline is None:
            deadline = Deadline.objects.create(
                case=case,
                kind=wanted.kind,
                rule_key=wanted.rule_key,
                due_at=wanted.due_at,
                timezone=zone,
                computed_from=wanted.computed_from,
            )
            _event(case, actor, deadline, EventKind.DEADLINE_ADDED, due=_local_iso(deadline))
        elif deadline.due_at != wanted.due_at or deadline.computed_from != wanted.computed_from:
            before = _local_iso(deadline)
            deadline.due_at, deadline.timezone, deadline.computed_from = wanted.due_at, zone, wanted.computed_from
            deadline.save(update_fields=["due_at", "timezone", "computed_from", "updated_at"])
            if before != _local_iso(deadline):
                _event(
                    case, actor, deadline, EventKind.DEADLINE_CHANGED, **{"from": before, "to": _local_iso(deadline)}
                )
    for deadline in existing.values():
        deadline.status = DeadlineStatus.CANCELLED
        if case.stage == Stage.CLOSED:
            deadline.closed_by, deadline.closed_at = actor, now
            deadline.status_reason = str(_("The case was closed."))
        deadline.save(update_fields=["status", "closed_by", "closed_at", "status_reason", "updated_at"])
        _event(
            case,
            actor,
            deadline,
            EventKind.DEADLINE_CHANGED,
            **{"from": _local_iso(deadline), "to": None, "status": DeadlineStatus.CANCELLED},
        )
    if case.stage == Stage.CLOSED:
        _close_with_case(case, actor, now)
    open_deadlines = [] if case.stage == Stage.CLOSED else list(case.deadlines.filter(status=DeadlineStatus.OPEN))
    reminder_rules.deadline_reminders_sync(case, open_deadlines, now=now)


def _close_with_case(case: Case, actor, now: datetime) -> None:
    """A closed case's remaining deadlines and tasks are cancelled with it (one event each), so no list, count or
    reminder has to ask whether their case is still open; reopening the case leaves them to be reopened one by one."""
    reason = str(_("The case was closed."))
    for deadline in Deadline.objects.filter(case=case, status__in=[DeadlineStatus.OPEN, DeadlineStatus.MISSED]):
        before = deadline.status
        deadline.status = DeadlineStatus.CANCELLED
        deadline.closed_by, deadline.closed_at, deadline.status_reason = actor, now, reason
        deadline.save(update_fields=["status", "closed_by", "closed_at", "status_reason", "updated_at"])
        CaseEvent.objects.create(
            case=case,
            actor=actor,
            kind=EventKind.TASK_CHANGED if deadline.is_task else EventKind.DEADLINE_CHANGED,
            reason=_event_reason(deadline, reason),
            payload={"deadline": deadline.pk, "kind": deadline.kind, "from_status": before, "to_status": "cancelled"},
        )


@transaction.atomic
def deadline_add(*, actor, case_id: int, kind: str, due_at: datetime, note: str = "") -> Deadline:
    """Enter a deadline by hand (a hearing date, a filing due); it must be in the future and the case open."""
    if kind not in DeadlineKind.values:
        raise InvalidInput(_("Choose the kind of deadline."))
    if kind == DeadlineKind.TASK:
        raise InvalidInput(_("A task needs a title and someone to do it: add it as a task."))
    if due_at is None or timezone.is_naive(due_at):
        raise InvalidInput(_("Give the date and time of the deadline."))
    if due_at <= timezone.now():
        raise InvalidInput(_("A new deadline cannot be in the past."))
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise InvalidInput(_("The note is too long (at most %(max)d characters).") % {"max": NOTE_MAX_LENGTH})
    case = Case.objects.lock_for(actor, case_id)
    if case.stage == Stage.CLOSED:
        raise InvalidInput(_("A closed case has no deadlines to add."))
    deadline = Deadline.objects.create(
        case=case, kind=kind, due_at=due_at, timezone=case.office.timezone, entered_by=actor, note=note
    )
    case.save_bumping_version()
    _event(case, actor, deadline, EventKind.DEADLINE_ADDED, due=_local_iso(deadline))
    reminder_rules.deadline_reminders(deadline, case=case, now=timezone.now())
    return deadline


def _reason(text: str) -> str:
    reason = (text or "").strip()
    if len(reason) > NOTE_MAX_LENGTH:
        raise InvalidInput(_("The reason is too long (at most %(max)d characters).") % {"max": NOTE_MAX_LENGTH})
    return reason


def _locked_deadline(actor, deadline_id: int) -> tuple[Case, Deadline]:
    """The deadline's case locked for ``actor`` (Case.DoesNotExist if they may not see it), then the deadline."""
    case_id = Deadline.objects.filter(pk=deadline_id).values_list("case_id", flat=True).first()
    if case_id is None:
        raise Deadline.DoesNotExist
    case = Case.objects.select_related("office").lock_for(actor, case_id)
    deadline = Deadline.objects.select_for_update().get(pk=deadline_id, case=case)
    return case, deadline


def _event_reason(deadline: Deadline, reason: str) -> str:
    # A task's timeline line names the task; the reason (a cancel's why) follows on its own line.
    return "\n".join(part for part in (deadline.title if deadline.is_task else "", reason) if part)


@transaction.atomic
def deadline_set_status(*, actor, deadline_id: int, status: str, reason: str = "") -> Deadline:
    """Mark a deadline met (a task done) or cancel it, an open or missed one; its pending reminders are cancelled.

    Cancelling needs a reason. Who did it, when and why are kept on the deadline (``closed_by``, ``closed_at``,
    ``status_reason``) and in an event with the statuses before and after: DEADLINE_CHANGED, or for a task
    TASK_DONE (the task's title as the event's reason, so the timeline says what was done) or TASK_CHANGED.
    """
    if status not in SETTABLE_STATUSES:
        raise InvalidInput(_("A deadline can only be marked met or cancelled."))
    reason = _reason(reason)
    if status == DeadlineStatus.CANCELLED and not reason:
        raise InvalidInput(_("Say why it is cancelled."))
    case, deadline = _locked_deadline(actor, deadline_id)
    if deadline.status not in (DeadlineStatus.OPEN, DeadlineStatus.MISSED):
        raise InvalidInput(_("This deadline is already %(status)s.") % {"status": deadline.get_status_display()})
    before = deadline.status
    deadline.status = status
    deadline.closed_by, deadline.closed_at, deadline.status_reason = actor, timezone.now(), reason
    deadline.save(update_fields=["status", "closed_by", "closed_at", "status_reason", "updated_at"])
    case.save_bumping_version()
    if deadline.is_task:
        kind = EventKind.TASK_DONE if status == DeadlineStatus.MET else EventKind.TASK_CHANGED
    else:
        kind = EventKind.DEADLINE_CHANGED
    CaseEvent.objects.create(
        case=case,
        actor=actor,
        kind=kind,
        reason=_event_reason(deadline, reason),
        payload={"deadline": deadline.pk, "kind": deadline.kind, "from_status": before, "to_status": status},
    )
    reminder_rules.deadline_reminders_cancel(deadline)
    return deadline


@transaction.atomic
def deadline_reopen(*, actor, deadline_id: int, reason: str = "") -> Deadline:
    """Open a met or cancelled deadline or task again; its future reminders are written again.

    A computed deadline is refused when another open one of the same rule exists (the case's dates moved on and it
    was recomputed): there is one open computed deadline per rule. Event DEADLINE_REOPENED (TASK_CHANGED for a task).
    """
    reason = _reason(reason)
    case, deadline = _locked_deadline(actor, deadline_id)
    if case.stage == Stage.CLOSED:
        raise InvalidInput(_("The case is closed: reopen the case first."))
    if deadline.status not in (DeadlineStatus.MET, DeadlineStatus.CANCELLED):
        raise InvalidInput(_("Only a met or cancelled deadline can be reopened."))
    if (
        deadline.is_computed
        and Deadline.objects.filter(
            case=case, kind=deadline.kind, rule_key=deadline.rule_key, status=DeadlineStatus.OPEN
        )
        .exclude(computed_from__isnull=True)
        .exists()
    ):
        raise InvalidInput(
            _("A newer computed deadline of the same kind is open on this case, so this one cannot be reopened.")
        )
    before = deadline.status
    now = timezone.now()
    deadline.status = DeadlineStatus.OPEN
    deadline.closed_by, deadline.closed_at, deadline.status_reason = actor, now, reason
    deadline.save(update_fields=["status", "closed_by", "closed_at", "status_reason", "updated_at"])
    case.save_bumping_version()
    CaseEvent.objects.create(
        case=case,
        actor=actor,
        kind=EventKind.TASK_CHANGED if deadline.is_task else EventKind.DEADLINE_REOPENED,
        reason=_event_reason(deadline, reason),
        payload={
            "deadline": deadline.pk,
            "kind": deadline.kind,
            "from_status": before,
            "to_status": DeadlineStatus.OPEN,
        },
    )
    reminder_rules.deadline_reminders_sync(case, list(case.deadlines.filter(status=DeadlineStatus.OPEN)), now=now)
    return deadline


def _check_assignee(assignee, case: Case) -> None:
    if assignee is None:
        raise InvalidInput(_("Choose who does the task."))
    if not assignee.is_active or assignee.role not in (Role.PARALEGAL, Role.COORDINATOR, Role.ADMIN):
        raise InvalidInput(
            _("%(name)s cannot be given tasks (not an active member of staff).") % {"name": _person(assignee)}
        )
    if not Case.objects.visible_to(assignee).filter(pk=case.pk).exists():
        raise InvalidInput(
            _("%(name)s cannot see this case, so cannot be given a task on it.") % {"name": _person(assignee)}
        )


def _person(user) -> str:
    return user.get_full_name() or user.username


@transaction.atomic
def task_add(*, actor, case_id: int, title: str, assignee, due_at: datetime, note: str = "") -> Deadline:
    """Add a task ("call the worker back") to an open case for someone of staff who can see it, due in the future.

    Event TASK_ADDED (the title as its reason); the assignee is reminded of it like of a deadline.
    """
    title = (title or "").strip()
    if not title:
        raise InvalidInput(_("Say what the task is."))
    if len(title) > TITLE_MAX_LENGTH:
        raise InvalidInput(_("The task is too long (at most %(max)d characters).") % {"max": TITLE_MAX_LENGTH})
    if due_at is None or timezone.is_naive(due_at):
        raise InvalidInput(_("Give the date and time the task is due."))
    if due_at <= timezone.now():
        raise InvalidInput(_("A new task cannot be due in the past."))
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise InvalidInput(_("The note is too long (at most %(max)d characters).") % {"max": NOTE_MAX_LENGTH})
    case = Case.objects.select_related("office").lock_for(actor, case_id)
    if case.stage == Stage.CLOSED:
        raise InvalidInput(_("A closed case has no tasks to add."))
    _check_assignee(assignee, case)
    task = Deadline.objects.create(
        case=case,
        kind=DeadlineKind.TASK,
        title=title,
        assignee=assignee,
        due_at=due_at,
        timezone=case.office.timezone,
        entered_by=actor,
        note=note,
    )
    case.save_bumping_version()
    CaseEvent.objects.create(
        case=case,
        actor=actor,
        kind=EventKind.TASK_ADDED,
        reason=title,
        payload={"deadline": task.pk, "kind": task.kind, "due": _local_iso(task), "assignee": assignee.pk},
    )
    reminder_rules.deadline_reminders(task, case=case, now=timezone.now())
    return task


def deadline_mark_missed(now: datetime) -> int:
    """Open deadlines whose time has passed become missed (one event each, by the system). Returns how many.

    Tasks are left alone: an overdue task stays open (and shown as overdue) until it is done or cancelled.
    """
    marked = 0
    for deadline_id in Deadline.objects.overdue(now).exclude(kind=DeadlineKind.TASK).values_list("pk", flat=True):
        with transaction.atomic():
            deadline = (
                Deadline.objects.select_for_update(skip_locked=True)
                .filter(pk=deadline_id, status=DeadlineStatus.OPEN, due_at__lt=now)
                .exclude(kind=DeadlineKind.TASK)
                .first()
            )
            if deadline is None:
                continue
            deadline.status = DeadlineStatus.MISSED
            deadline.save(update_fields=["status", "updated_at"])
            _event(
                deadline.case,
                None,
                deadline,
                EventKind.DEADLINE_CHANGED,
                from_status=DeadlineStatus.OPEN,
                to_status=DeadlineStatus.MISSED,
            )
            marked += 1
    return marked
