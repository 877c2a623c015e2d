"""What is owed: every write to a case's calculation inputs, and running the calculator into a snapshot.

The same shape as ``cases.core.services.cases``: keyword-only, an explicit ``actor``, the case loaded through
``visible_to(actor)`` with a row lock (a case the actor may not see raises ``Case.DoesNotExist``,
which views answer with 404), one transaction, and a ``CaseEvent``. Bad input raises
``CalculationInputError`` — an ``InvalidInput`` carrying the messages per field — and saves nothing.

Money is in the minor unit of the currency of the work (the chosen one, else the rules'): no decimals for JPY, two
for MYR, three for KWD. The rows' ``full_clean`` refuses anything finer ("JPY has no smaller unit: enter a whole
number."), and the calculator, which rounds each line to that unit, checks again when it runs — a row typed before
the currency was chosen is named then.

Normal hours above the jurisdiction's normal hours a day or a week (the rule versions in force on the dates) are
refused on save and again at a run, with a message saying how many to enter as overtime (``cases.money.hours_limits``):
hours are never silently paid at the normal rate.

These writes do not bump ``Case.version``: that guards the case's own details and stage, and the
calculation editor changes rows beside the case many times in a sitting without reloading the page
(a bumped version would make the page's stage and close forms stale for no reason).
Each input write touches ``CalculationSettings.updated_at``, so the page can tell when the latest
snapshot no longer matches the inputs.
"""

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.core.errors import InvalidInput
from cases.core.models import Case, CaseEvent, EventKind
from cases.money import hours_limits, wages
from cases.money.models import (
    CalculationMode,
    CalculationSettings,
    CalculationSnapshot,
    OneOffItemRow,
    PayPeriodRow,
    RuleVersion,
    SnapshotRuleVersion,
)

NON_FIELD = "__all__"
# How the calculator names a field of one of its input rows: "periods[2].end", "items[0]".
ROW_KEY = re.compile(r"^(?P<list>periods|items)\[(?P<index>\d+)\](?:\.(?P<field>[a-z_]+)(?P<rest>.*))?$")
RULE_KEY = re.compile(r"^rules\[(?P<index>\d+)\]")


def _editable_fields(model) -> tuple[str, ...]:
    return tuple(f.name for f in model._meta.concrete_fields if f.editable and not f.primary_key and f.name != "case")


PERIOD_FIELDS = _editable_fields(PayPeriodRow)
SETTINGS_FIELDS = _editable_fields(CalculationSettings)
# What estimate mode cannot run without (overtime and pay received default to none).
ESTIMATE_REQUIRED = (
    "estimate_start",
    "estimate_end",
    "estimate_hours_per_day",
    "estimate_days_per_week",
    "estimate_agreed_rate",
    "basis_note",
)


class CalculationInputError(InvalidInput):
    """Calculation input that cannot be used; ``field_errors`` maps field names ("__all__": the whole form)."""

    default_message = gettext_lazy("Some of the calculation input is not valid.")

    def __init__(self, field_errors: Mapping[str, list[str]], message=None):
        self.field_errors = {name: [str(m) for m in messages] for name, messages in field_errors.items()}
        super().__init__(message or self._summary())

    def _summary(self) -> str:
        messages = [m for msgs in self.field_errors.values() for m in msgs]
        return messages[0] if len(messages) == 1 else str(self.default_message)


# --- helpers -------------------------------------------------------------------------------------


def _lock_open(actor, case_id: int) -> Case:
    """The case, locked, if ``actor`` may see it (else Case.DoesNotExist) and it is still open."""
    case = Case.objects.lock_for(actor, case_id)
    case.check_open(_("The case is closed. Reopen it to change the calculation."))
    return case


def _validated(row, *, exclude: tuple[str, ...] = ("case",)) -> None:
    try:
        row.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        raise CalculationInputError(exc.message_dict) from exc


def _check_no_shared_days(period: PayPeriodRow) -> None:
    """Two pay periods of a case sharing a day would count that day's work twice."""
    other = (
        PayPeriodRow.objects.filter(case_id=period.case_id, start__lte=period.end, end__gte=period.start)
        .exclude(pk=period.pk)
        .first()
    )
    if other is not None:
        message = _("This period shares days with “%(other)s”; they would be counted twice.") % {"other": other}
        raise CalculationInputError({"start": [message]})


def _rule_versions(case: Case) -> list[RuleVersion]:
    """The rule versions of the case's jurisdiction ([] while none is chosen)."""
    chosen = CalculationSettings.objects.filter(case=case).values("jurisdiction_id")
    return list(RuleVersion.objects.filter(jurisdiction_id__in=chosen))


def _check_normal_hours(errors: dict[str, list[str]]) -> None:
    if errors:
        raise CalculationInputError(errors)


def _settings_for(case: Case) -> CalculationSettings:
    settings, _created = CalculationSettings.objects.get_or_create(case=case)
    return settings


def _inputs_changed(case: Case, actor, change: str, **payload) -> None:
    """Mark the inputs changed (the latest snapshot is now out of date) and write the event.

    The payload names what changed (row ids, field names), never values: the timeline is widely read.
    """
    _settings_for(case).save(update_fields=["updated_at"])
    CaseEvent.objects.create(
        case=case, actor=actor, kind=EventKind.CALCULATION_CHANGED, payload={"change": change, **payload}
    )


def _changed_fields(row, changes: Mapping[str, Any], allowed: tuple[str, ...]) -> list[str]:
    unknown = set(changes) - set(allowed)
    if unknown:
        fields = ", ".join(sorted(unknown))
        raise InvalidInput(_("These fields cannot be changed here: %(fields)s") % {"fields": fields})
    changed = [name for name in allowed if name in changes and getattr(row, name) != changes[name]]
    for name in changed:
        setattr(row, name, changes[name])
    return changed


# --- pay periods and one-off items ---------------------------------------------------------------


@transaction.atomic
def calculation_period_add(
    *,
    actor,
    case_id: int,
    start: date,
    end: date,
    days_worked: Decimal,
    normal_hours: Decimal,
    agreed_rate: Decimal,
    agreed_basis: str,
    overtime_hours: Decimal = Decimal(0),
    rest_day_hours: Decimal = Decimal(0),
    holiday_hours: Decimal = Decimal(0),
    amount_paid: Decimal = Decimal(0),
    unlawful_deductions: Decimal = Decimal(0),
    lawful_deductions: Decimal = Decimal(0),
    deductions_note: str = "",
    label: str = "",
) -> PayPeriodRow:
    """Add a pay period from the records to the case's calculation inputs."""
    case = _lock_open(actor, case_id)
    period = PayPeriodRow(
        case=case,
        label=label.strip(),
        start=start,
        end=end,
        days_worked=days_worked,
        normal_hours=normal_hours,
        overtime_hours=overtime_hours,
        rest_day_hours=rest_day_hours,
        holiday_hours=holiday_hours,
        agreed_rate=agreed_rate,
        agreed_basis=agreed_basis,
        amount_paid=amount_paid,
        unlawful_deductions=unlawful_deductions,
        lawful_deductions=lawful_deductions,
        deductions_note=deductions_note.strip(),
    )
    _validated(period)
    _check_no_shared_days(period)
    _check_normal_hours(hours_limits.period_errors(period, _rule_versions(case)))
    period.save()
    _inputs_changed(case, actor, "period_added", period=period.pk)
    return period


@transaction.atomic
def calculation_period_update(*, actor, case_id: int, period_id: int, changes: Mapping[str, Any]) -> PayPeriodRow:
    """Change a pay period (a period of another case raises PayPeriodRow.DoesNotExist)."""
    case = _lock_open(actor, case_id)
    period = PayPeriodRow.objects.get(case=case, pk=period_id)
    changed = _changed_fields(period, changes, PERIOD_FIELDS)
    if not changed:
        return period
    _validated(period)
    _check_no_shared_days(period)
    _check_normal_hours(hours_limits.period_errors(period, _rule_versions(case)))
    period.save(update_fields=changed)
    _inputs_changed(case, actor, "period_updated", period=period.pk, fields=changed)
    return period


@transaction.atomic
def calculation_period_delete(*, actor, case_id: int, period_id: int) -> None:
    """Remove a pay period from the inputs (snapshots already taken keep their lines)."""
    case = _lock_open(actor, case_id)
    PayPeriodRow.objects.get(case=case, pk=period_id).delete()
    _inputs_changed(case, actor, "period_deleted", period=period_id)


@transaction.atomic
def calculation_item_add(*, actor, case_id: int, kind: str, amount: Decimal, description: str = "") -> OneOffItemRow:
    """Add a one-off sum owed: a recruitment fee paid, withheld final pay, notice pay, leave, gratuity."""
    case = _lock_open(actor, case_id)
    item = OneOffItemRow(case=case, kind=kind, amount=amount, description=description.strip())
    _validated(item)
    item.save()
    _inputs_changed(case, actor, "item_added", item=item.pk)
    return item


@transaction.atomic
def calculation_item_delete(*, actor, case_id: int, item_id: int) -> None:
    """Remove a one-off item from the inputs."""
    case = _lock_open(actor, case_id)
    OneOffItemRow.objects.get(case=case, pk=item_id).delete()
    _inputs_changed(case, actor, "item_deleted", item=item_id)


@transaction.atomic
def calculation_settings_update(*, actor, case_id: int, changes: Mapping[str, Any]) -> CalculationSettings:
    """Set which jurisdiction's rules apply, the currency of the work, and records or estimate (with its inputs)."""
    case = _lock_open(actor, case_id)
    settings = _settings_for(case)
    changed = _changed_fields(settings, changes, SETTINGS_FIELDS)
    if not changed:
        return settings
    if "basis_note" in changed:
        settings.basis_note = settings.basis_note.strip()
    _validated(settings)
    if settings.jurisdiction_id is not None:
        versions = list(RuleVersion.objects.filter(jurisdiction_id=settings.jurisdiction_id))
        _check_normal_hours(hours_limits.estimate_errors(settings, versions))
    settings.save(update_fields=[*changed, "updated_at"])
    CaseEvent.objects.create(
        case=case,
        actor=actor,
        kind=EventKind.CALCULATION_CHANGED,
        payload={"change": "settings_updated", "fields": changed},
    )
    return settings


# --- running the calculator ----------------------------------------------------------------------


def wages_period(period: PayPeriodRow) -> wages.PayPeriod:
    deductions = []
    if period.unlawful_deductions:
        description = period.deductions_note or _("unlawful deductions")
        deductions.append(wages.Deduction(description=description, amount=period.unlawful_deductions, lawful=False))
    if period.lawful_deductions:
        deductions.append(
            wages.Deduction(description=_("lawful deductions"), amount=period.lawful_deductions, lawful=True)
        )
    return wages.PayPeriod(
        start=period.start,
        end=period.end,
        days_worked=period.days_worked,
        normal_hours=period.normal_hours,
        overtime_hours=period.overtime_hours,
        rest_day_hours=period.rest_day_hours,
        holiday_hours=period.holiday_hours,
        agreed_rate=period.agreed_rate,
        agreed_basis=wages.Basis(period.agreed_basis),
        amount_paid=period.amount_paid,
        deductions=tuple(deductions),
        label=period.label,  # the calculator already names each line by its dates
    )


def wages_item(item: OneOffItemRow) -> wages.OneOffItem:
    return wages.OneOffItem(kind=wages.ItemKind(item.kind), amount=item.amount, description=item.description)


def wages_estimate(settings: CalculationSettings) -> wages.Estimate:
    missing = {name: [_("Needed for an estimate.")] for name in ESTIMATE_REQUIRED if not getattr(settings, name)}
    if missing:
        raise CalculationInputError(missing, message=_("Fill in the worker's estimate and its basis first."))
    return wages.Estimate(
        start=settings.estimate_start,
        end=settings.estimate_end,
        hours_per_day=settings.estimate_hours_per_day,
        days_per_week=settings.estimate_days_per_week,
        overtime_hours_per_week=settings.estimate_overtime_hours_per_week or Decimal(0),
        rest_day_hours_per_week=settings.estimate_rest_day_hours_per_week or Decimal(0),
        agreed_rate=settings.estimate_agreed_rate,
        agreed_basis=wages.Basis(settings.estimate_agreed_basis),
        paid_per_month=settings.estimate_paid_per_month or Decimal(0),
        basis_note=settings.basis_note,
    )


def _currency(settings: CalculationSettings, versions: list[RuleVersion]) -> str:
    if settings.currency:
        return settings.currency
    currencies = {version.currency for version in versions}
    if len(currencies) == 1:
        return currencies.pop()
    raise CalculationInputError({"currency": [_("Choose the currency the worker was paid in.")]})


@transaction.atomic
def calculation_run(*, actor, case_id: int) -> CalculationSnapshot:
    """Calculate what is owed from the case's inputs and the jurisdiction's rules, and keep the result.

    Records mode uses the pay periods, estimate mode the worker's reconstruction; both add the
    one-off items. The snapshot stores the itemised result, the rule versions it cited (copied as
    they are now) and who calculated; the event names the snapshot, total and currency only.
    """
    case = _lock_open(actor, case_id)
    settings = CalculationSettings.objects.select_related("jurisdiction").filter(case=case).first()
    if settings is None or settings.jurisdiction is None:
        raise CalculationInputError({"jurisdiction": [_("Choose the jurisdiction whose rules apply.")]})
    versions = list(settings.jurisdiction.rule_versions.order_by("effective_from"))
    if not versions:
        raise CalculationInputError(
            {"jurisdiction": [_("This jurisdiction has no rules yet. Ask an administrator to add them.")]}
        )
    currency = _currency(settings, versions)
    rules = [version.as_wages() for version in versions]
    item_rows = list(case.one_off_items.all())
    items = [wages_item(item) for item in item_rows]
    periods: list[PayPeriodRow] = []
    if settings.mode == CalculationMode.ESTIMATE:
        _check_normal_hours(hours_limits.estimate_errors(settings, versions))
    try:
        if settings.mode == CalculationMode.ESTIMATE:
            result = wages.calculate_estimate(
                estimate=wages_estimate(settings), items=items, rules=rules, currency=currency
            )
        else:
            periods = list(case.pay_periods.all())
            if not periods and not items:
                raise CalculationInputError({NON_FIELD: [_("Add at least one pay period or one-off item first.")]})
            _check_normal_hours(
                {
                    f"period-{period.pk}.{name}": messages
                    for period in periods
                    for name, messages in hours_limits.period_errors(period, versions).items()
                }
            )
            result = wages.calculate(
                periods=[wages_period(period) for period in periods], items=items, rules=rules, currency=currency
            )
    except wages.CalculationError as exc:
        raise CalculationInputError(
            calculator_errors(exc, periods=periods, items=item_rows, versions=versions)
        ) from exc

    used_ids = {str(rule_id) for rule_id in result.rule_version_ids}
    used = [version for version in versions if str(version.pk) in used_ids]
    snapshot = CalculationSnapshot.objects.create(
        case=case,
        created_by=actor,
        jurisdiction=settings.jurisdiction,
        rules_cited=[version.citation() for version in used],
        is_estimate=result.is_estimate,
        basis_note=result.basis_note,
        uses_demo_rules=any(version.is_demo for version in used),
        result=result.as_dict(),
        total_owed=result.total_owed,
        currency=result.currency,
    )
    SnapshotRuleVersion.objects.bulk_create(
        SnapshotRuleVersion(snapshot=snapshot, rule_version=version) for version in used
    )
    CaseEvent.objects.create(
        case=case,
        actor=actor,
        kind=EventKind.CALCULATED,
        payload={
            "snapshot": snapshot.pk,
            "total": str(result.total_owed),
            "currency": result.currency,
            "estimate": result.is_estimate,
        },
    )
    return snapshot


def calculator_errors(
    exc: "wages.CalculationError",
    *,
    periods: list[PayPeriodRow],
    items: list[OneOffItemRow],
    versions: list[RuleVersion],
) -> dict[str, list[str]]:
    """The calculator's complaints as a field map the page can show.

    Row indexes become row ids (``periods[2].end`` → ``period-<id>.end``, ``items[0].amount`` →
    ``item-<id>.amount``) so the page can name the row; the estimate's fields become the settings'
    (``estimate.hours_per_day`` → ``estimate_hours_per_day``); a broken rule version is reported on
    ``jurisdiction`` with the version named. Other keys pass through.
    """
    rows = {"periods": ("period", periods), "items": ("item", items)}
    errors: dict[str, list[str]] = {}
    for key, messages in exc.errors.items():
        messages = [_name_rows(str(message), periods) for message in messages]
        name = str(key) or NON_FIELD
        if match := ROW_KEY.match(name):
            prefix, row_list = rows[match["list"]]
            index = int(match["index"])
            if index < len(row_list):
                field = match["field"] if match["field"] and not match["rest"] else ""
                name = f"{prefix}-{row_list[index].pk}" + (f".{field}" if field else "")
        elif match := RULE_KEY.match(name):
            index = int(match["index"])
            if index < len(versions):
                messages = [f"{versions[index]}: {message}" for message in messages]
            name = "jurisdiction"
        elif name.startswith("estimate."):
            field = name.removeprefix("estimate.")
            name = field if field == "basis_note" else f"estimate_{field}"
        elif name == "estimate":
            name = NON_FIELD
        errors.setdefault(name, []).extend(messages)
    return errors


def _name_rows(message: str, periods: list[PayPeriodRow]) -> str:
    """ "Shares days with periods[1]" → "Shares days with “March 2024”"."""

    def name(match: re.Match) -> str:
        index = int(match[1])
        return f"“{periods[index]}”" if index < len(periods) else match[0]

    return re.sub(r"periods\[(\d+)\]", name, message)
