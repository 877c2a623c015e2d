"""Deadlines: computed from the case's jurisdiction (limitation periods) and the worker's departure, or entered by hand.

``deadlines_recompute`` runs inside the business transactions of ``cases.services`` (the case row is already locked)
so a changed trigger date updates the one open computed deadline, writes a ``DEADLINE_CHANGED`` event with the old
and new dates (no personal data), and re-schedules its reminders in the same transaction (STYLE rules 2, 3 and 5).
A trigger that disappears cancels the deadline. Date-only deadlines end at 23:59 in the office's time zone.
"""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import reminder_rules
from .errors import InvalidInput
from .models import (
    CalculationSettings,
    Case,
    CaseEvent,
    Deadline,
    DeadlineKind,
    DeadlineStatus,
    EntryKind,
    EventKind,
    Jurisdiction,
    LedgerEntry,
    LimitationRule,
    LimitationTrigger,
)
from .office_time import office_zone
from .stages import Stage

END_OF_DAY = time(23, 59)
NOTE_MAX_LENGTH = 2_000
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
        deadline.save(update_fields=["status", "updated_at"])
        _event(
            case,
            actor,
            deadline,
            EventKind.DEADLINE_CHANGED,
            **{"from": _local_iso(deadline), "to": None, "status": DeadlineStatus.CANCELLED},
        )
    open_deadlines = [] if case.stage == Stage.CLOSED else list(case.deadlines.filter(status=DeadlineStatus.OPEN))
    reminder_rules.deadline_reminders_sync(case, open_deadlines, now=now)


@transaction.atomic
def deadline_add(*, actor, case_id: int, kind: str, due_at: datetime, note: str = "") -> Deadline:
    """Enter a deadline by hand (a hearing date, a filing due); it must be in the future and the case open."""
    if kind not in DeadlineKind.values:
        raise InvalidInput(_("Choose the kind of deadline."))
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


@transaction.atomic
def deadline_set_status(*, actor, deadline_id: int, status: str) -> Deadline:
    """Mark a deadline met or cancel it (an open or missed one); its pending reminders are cancelled."""
    if status not in SETTABLE_STATUSES:
        raise InvalidInput(_("A deadline can only be marked met or cancelled."))
    case_id = Deadline.objects.filter(pk=deadline_id).values_list("case_id", flat=True).first()
    if case_id is None:
        raise Deadline.DoesNotExist
    case = Case.objects.lock_for(actor, case_id)
    deadline = Deadline.objects.select_for_update().get(pk=deadline_id, case=case)
    if deadline.status not in (DeadlineStatus.OPEN, DeadlineStatus.MISSED):
        raise InvalidInput(_("This deadline is already %(status)s.") % {"status": deadline.get_status_display()})
    before = deadline.status
    deadline.status = status
    deadline.save(update_fields=["status", "updated_at"])
    case.save_bumping_version()
    _event(case, actor, deadline, EventKind.DEADLINE_CHANGED, from_status=before, to_status=status)
    reminder_rules.deadline_reminders_cancel(deadline)
    return deadline


def deadline_mark_missed(now: datetime) -> int:
    """Open deadlines whose time has passed become missed (one event each, by the system). Returns how many."""
    marked = 0
    for deadline_id in Deadline.objects.overdue(now).values_list("pk", flat=True):
        with transaction.atomic():
            deadline = (
                Deadline.objects.select_for_update(skip_locked=True)
                .filter(pk=deadline_id, status=DeadlineStatus.OPEN, due_at__lt=now)
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
