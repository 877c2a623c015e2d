"""The money ledger's services and reads: record, reverse, instalment plans, and exact totals.

Every write follows ``cases.core.services.cases``: keyword-only arguments and an explicit ``actor``; the case is loaded
through ``visible_to(actor)`` with a row lock (another office's case raises ``Case.DoesNotExist``, a 404 for views),
checks run under the lock, the case's ``version`` is bumped, and a ``CaseEvent`` is appended — with ids and kinds only,
never amounts or notes (the timeline is widely read).

Amounts arrive as ``Decimal`` in major units and are stored as integer minor units (``cases.money.currencies``); an
amount finer than the currency's minor unit is refused, not rounded. Refusals are ``LedgerInputError`` (an
``InvalidInput``) naming the form field they belong to, so pages can show them as field errors.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import BigIntegerField, F, Q, Sum, When
from django.db.models import Case as SqlCase
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.core.errors import InvalidInput
from cases.core.models import Case, CaseEvent, EventKind, Respondent
from cases.core.signals import case_facts_changed
from cases.money import currencies
from cases.money.models import EntryKind, ExchangeRate, Instalment, InstalmentPlan, LedgerEntry, Route

NOTE_MAX_LENGTH = 2000
MAX_INSTALMENTS = 120


class LedgerInputError(InvalidInput):
    """Bad input for a ledger write; ``field`` names the form field the message belongs to."""

    def __init__(self, message, *, field: str | None = None, current_stage: str | None = None):
        super().__init__(message, current_stage=current_stage)
        self.field = field


class MissingExchangeRate(LedgerInputError):
    pass


class OverRemaining(LedgerInputError):
    """A payment or disbursement larger than what remains; it may be recorded with ``confirm_over_award=True``."""


# --- helpers ---------------------------------------------------------------------------------------------------------


def _lock_open(actor, case_id: int) -> Case:
    case = Case.objects.lock_for(actor, case_id)
    case.check_open(_("The case is closed. Reopen it to record money."))
    return case


def _currency(code: str, *, field: str = "currency") -> str:
    code = (code or "").strip().upper()
    try:
        currencies.get_currency(code)
    except currencies.UnknownCurrency as exc:
        raise LedgerInputError(str(exc), field=field) from None
    return code


def _minor(amount: Decimal, currency: str, *, field: str = "amount") -> int:
    try:
        minor = currencies.to_minor(amount, currency)
    except currencies.CurrencyError as exc:
        raise LedgerInputError(str(exc), field=field) from None
    if minor <= 0:
        raise LedgerInputError(_("Enter an amount greater than zero."), field=field)
    return minor


def _note(text: str, *, field: str = "note") -> str:
    text = (text or "").strip()
    if len(text) > NOTE_MAX_LENGTH:
        raise LedgerInputError(
            _("The note is too long (at most %(max)d characters).") % {"max": NOTE_MAX_LENGTH}, field=field
        )
    return text


def _respondent_of(case: Case, respondent: Respondent | None) -> Respondent | None:
    if respondent is not None and not case.case_respondents.filter(respondent=respondent).exists():
        raise LedgerInputError(_("Choose one of this case's respondents."), field="respondent")
    return respondent


def rate_for(currency: str, on: date) -> tuple[Decimal, date | None]:
    """The rate to the reporting currency for ``currency`` on ``on``: the latest on or before it, and its date.

    The reporting currency itself converts at 1 (date None). No rate → MissingExchangeRate on the currency field.
    """
    reporting = settings.REPORTING_CURRENCY
    if currency == reporting:
        return Decimal(1), None
    found = ExchangeRate.objects.filter(currency=currency, date__lte=on).order_by("-date").first()
    if found is None:
        raise MissingExchangeRate(
            _(
                "There is no exchange rate from %(currency)s to %(reporting)s on or before %(date)s. "
                "Ask an administrator to add one (Administration → Exchange rates); nothing was saved."
            )
            % {"currency": currency, "reporting": reporting, "date": on.isoformat()},
            field="currency",
        )
    return found.rate, found.date


def _signed(column: str):
    """``column`` for an ordinary entry, ``-column`` for a reversal — so one SUM nets corrections out."""
    return SqlCase(
        When(reverses__isnull=True, then=F(column)),
        default=-F(column),
        output_field=BigIntegerField(),
    )


def _remaining(case: Case, kind: str, currency: str) -> int | None:
    """What a payment or disbursement of ``kind`` may take before it needs confirming (None: no limit).

    For a payment: awarded + settled − paid; for a disbursement: paid − disbursed; in ``currency``, one SQL query.
    """
    if kind not in (EntryKind.PAID, EntryKind.DISBURSED):
        return None
    net = LedgerEntry.objects.filter(case=case, currency=currency).aggregate(
        awarded=Sum(_signed("amount_minor"), filter=Q(kind__in=[EntryKind.AWARDED, EntryKind.SETTLED])),
        paid=Sum(_signed("amount_minor"), filter=Q(kind=EntryKind.PAID)),
        disbursed=Sum(_signed("amount_minor"), filter=Q(kind=EntryKind.DISBURSED)),
    )
    awarded, paid, disbursed = (net[name] or 0 for name in ("awarded", "paid", "disbursed"))
    return awarded - paid if kind == EntryKind.PAID else paid - disbursed


def _create_entry(
    *,
    case: Case,
    actor,
    kind: str,
    amount_minor: int,
    currency: str,
    entry_date: date,
    source: str,
    respondent: Respondent | None,
    note: str,
    confirm_over_award: bool,
) -> LedgerEntry:
    """Check and write one entry on a locked, open case; the caller writes the event."""
    if kind not in EntryKind.values:
        raise LedgerInputError(_("Choose what kind of money this is."), field="kind")
    if source not in Route.values:
        raise LedgerInputError(_("Choose the route the money came through."), field="source")
    if entry_date > timezone.localdate():
        raise LedgerInputError(_("The date is in the future; record money when it has moved."), field="entry_date")
    remaining = _remaining(case, kind, currency)
    if remaining is not None and amount_minor > remaining and not confirm_over_award:
        if kind == EntryKind.PAID:
            message = _(
                "This payment is more than what remains of the award (%(remaining)s). "
                "Tick the confirmation to record it anyway."
            )
        else:
            message = _(
                "This disbursement is more than what the respondent has paid and is not yet with the worker "
                "(%(remaining)s). Tick the confirmation to record it anyway."
            )
        raise OverRemaining(
            message % {"remaining": currencies.format_money(max(remaining, 0), currency)}, field="amount"
        )
    reporting = settings.REPORTING_CURRENCY
    rate, rate_date = rate_for(currency, entry_date)
    return LedgerEntry.objects.create(
        case=case,
        claimant_id=case.claimant_id,
        kind=kind,
        amount_minor=amount_minor,
        currency=currency,
        entry_date=entry_date,
        source=source,
        respondent=respondent,
        note=note,
        reporting_currency=reporting,
        reporting_amount_minor=currencies.convert_minor(
            amount_minor, rate=rate, from_currency=currency, to_currency=reporting
        ),
        exchange_rate=rate,
        rate_date=rate_date,
        actor=actor,
    )


def _event(case: Case, actor, kind: str, payload: dict) -> CaseEvent:
    return CaseEvent.objects.create(case=case, actor=actor, kind=kind, payload=payload)


# --- services --------------------------------------------------------------------------------------------------------


@transaction.atomic
def ledger_record(
    *,
    actor,
    case_id: int,
    kind: str,
    amount: Decimal,
    currency: str,
    entry_date: date,
    source: str,
    respondent: Respondent | None = None,
    note: str = "",
    confirm_over_award: bool = False,
) -> LedgerEntry:
    """Record money claimed, awarded, settled, paid by a respondent, disbursed to the worker, or written off.

    A payment larger than what remains of the award (awarded + settled − paid, in the same currency), or a
    disbursement larger than what was paid and not yet disbursed, is refused with ``OverRemaining`` unless
    ``confirm_over_award``. The amount in the reporting currency is stored at the latest rate on or before
    ``entry_date``; without one, ``MissingExchangeRate`` and nothing is saved.
    """
    currency = _currency(currency)
    amount_minor = _minor(amount, currency)
    note = _note(note)
    case = _lock_open(actor, case_id)
    entry = _create_entry(
        case=case,
        actor=actor,
        kind=kind,
        amount_minor=amount_minor,
        currency=currency,
        entry_date=entry_date,
        source=source,
        respondent=_respondent_of(case, respondent),
        note=note,
        confirm_over_award=confirm_over_award,
    )
    case.save_bumping_version()
    _event(case, actor, EventKind.LEDGER_ENTRY, {"entry": entry.pk, "kind": kind})
    if kind in (EntryKind.AWARDED, EntryKind.SETTLED):
        case_facts_changed.send(sender=Case, case=case, actor=actor)  # limitation periods run from the award
    return entry


@transaction.atomic
def ledger_reverse(*, actor, case_id: int, entry_id: int, reason: str) -> LedgerEntry:
    """Cancel an entry with a reversing entry (same kind, amount, currency, date and reporting amount) and a reason.

    The original stays; totals net the pair to zero in every currency. An instalment paid by the entry becomes
    unpaid again. A reversal is not itself reversed: record the entry again instead. ``LedgerEntry.DoesNotExist``
    when the entry is not this case's.
    """
    reason = (reason or "").strip()
    if not reason:
        raise LedgerInputError(_("Say why this entry is being reversed."), field="reason")
    reason = _note(reason, field="reason")
    case = _lock_open(actor, case_id)
    original = LedgerEntry.objects.select_related("reversed_by").get(pk=entry_id, case=case)
    if original.is_reversal:
        raise LedgerInputError(_("A correction cannot be reversed; record the entry again instead."), field="reason")
    if hasattr(original, "reversed_by"):
        raise LedgerInputError(_("This entry has already been reversed."), field="reason")
    reversal = LedgerEntry.objects.create(
        case=case,
        claimant_id=original.claimant_id,
        kind=original.kind,
        amount_minor=original.amount_minor,
        currency=original.currency,
        entry_date=original.entry_date,
        source=original.source,
        respondent_id=original.respondent_id,
        reporting_currency=original.reporting_currency,
        reporting_amount_minor=original.reporting_amount_minor,
        exchange_rate=original.exchange_rate,
        rate_date=original.rate_date,
        reverses=original,
        reason=reason,
        actor=actor,
    )
    Instalment.objects.filter(paid_entry=original).update(paid_entry=None)
    case.save_bumping_version()
    _event(case, actor, EventKind.LEDGER_REVERSED, {"entry": reversal.pk, "reverses": original.pk})
    if original.kind in (EntryKind.AWARDED, EntryKind.SETTLED):
        case_facts_changed.send(sender=Case, case=case, actor=actor)
    return reversal


@transaction.atomic
def instalment_plan_create(
    *,
    actor,
    case_id: int,
    currency: str,
    instalments: Sequence[tuple[date, Decimal]],
    respondent: Respondent | None = None,
    source: str = Route.NEGOTIATION,
    note: str = "",
) -> InstalmentPlan:
    """Record a plan to pay in instalments: (due date, amount) pairs in one currency; the total is their sum."""
    currency = _currency(currency)
    if not instalments:
        raise LedgerInputError(_("Add at least one instalment."), field="instalments")
    if len(instalments) > MAX_INSTALMENTS:
        raise LedgerInputError(
            _("A plan has at most %(max)d instalments.") % {"max": MAX_INSTALMENTS}, field="instalments"
        )
    if source not in Route.values:
        raise LedgerInputError(_("Choose the route the plan was agreed through."), field="source")
    rows = sorted((due, _minor(amount, currency, field="instalments")) for due, amount in instalments)
    note = _note(note)
    case = _lock_open(actor, case_id)
    plan = InstalmentPlan.objects.create(
        case=case,
        respondent=_respondent_of(case, respondent),
        currency=currency,
        total_minor=sum(minor for _, minor in rows),
        source=source,
        note=note,
        created_by=actor,
    )
    Instalment.objects.bulk_create(Instalment(plan=plan, due_date=due, amount_minor=minor) for due, minor in rows)
    case.save_bumping_version()
    _event(case, actor, EventKind.INSTALMENT_PLAN, {"plan": plan.pk, "instalments": len(rows)})
    return plan


@transaction.atomic
def instalment_mark_paid(
    *,
    actor,
    case_id: int,
    instalment_id: int,
    entry_date: date,
    note: str = "",
    confirm_over_award: bool = False,
) -> LedgerEntry:
    """Record the instalment's payment as a ``paid_by_respondent`` entry (amount, currency, respondent and route of
    the plan) and link it. The same checks as ``ledger_record`` apply. ``Instalment.DoesNotExist`` when the
    instalment is not this case's."""
    note = _note(note)
    case = _lock_open(actor, case_id)
    instalment = Instalment.objects.select_related("plan").get(pk=instalment_id, plan__case=case)
    if instalment.paid_entry_id is not None:
        raise LedgerInputError(_("This instalment is already marked paid."), field="entry_date")
    plan = instalment.plan
    entry = _create_entry(
        case=case,
        actor=actor,
        kind=EntryKind.PAID,
        amount_minor=instalment.amount_minor,
        currency=plan.currency,
        entry_date=entry_date,
        source=plan.source,
        respondent=plan.respondent,
        note=note,
        confirm_over_award=confirm_over_award,
    )
    instalment.paid_entry = entry
    instalment.save(update_fields=["paid_entry"])
    case.save_bumping_version()
    payload = {"entry": entry.pk, "kind": EntryKind.PAID, "instalment": instalment.pk}
    _event(case, actor, EventKind.LEDGER_ENTRY, payload)
    return entry


# --- reads -----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """Net totals in one currency, in minor units. ``outstanding`` = awarded − paid; ``held`` = paid − disbursed."""

    currency: str
    claimed: int = 0
    awarded: int = 0
    paid: int = 0
    disbursed: int = 0
    written_off: int = 0

    @property
    def outstanding(self) -> int:
        return self.awarded - self.paid

    @property
    def held(self) -> int:
        return self.paid - self.disbursed

    @property
    def recovery_vs_awarded(self) -> Decimal | None:
        """Disbursed ÷ awarded (4 decimals), or None when nothing was awarded."""
        return currencies.ratio(self.disbursed, self.awarded)

    @property
    def recovery_vs_claimed(self) -> Decimal | None:
        """Disbursed ÷ claimed (4 decimals), or None when nothing was claimed."""
        return currencies.ratio(self.disbursed, self.claimed)

    def amount(self, name: str) -> Decimal:
        return currencies.from_minor(getattr(self, name), self.currency)

    def display(self, name: str) -> str:
        return currencies.format_money(getattr(self, name), self.currency)


_FIGURE_OF_KIND = {
    EntryKind.CLAIMED: "claimed",
    EntryKind.AWARDED: "awarded",
    EntryKind.SETTLED: "awarded",
    EntryKind.PAID: "paid",
    EntryKind.DISBURSED: "disbursed",
    EntryKind.WRITTEN_OFF: "written_off",
}


@dataclass(frozen=True)
class LedgerTotals:
    """A case's totals per currency and in the reporting currency.

    ``complete`` is False when some entries were converted into another reporting currency (the setting changed
    since); those are left out of ``reporting``.
    """

    by_currency: list[Figures] = field(default_factory=list)
    reporting: Figures | None = None
    complete: bool = True

    @property
    def empty(self) -> bool:
        return not self.by_currency

    @classmethod
    def nothing(cls) -> "LedgerTotals":
        """The totals of a case without entries (no query needed)."""
        return cls(reporting=Figures(settings.REPORTING_CURRENCY))


def ledger_totals(case: Case | int) -> LedgerTotals:
    """Net totals of a case's ledger: one SQL query summing integer minor units (exact on every database).

    Reversals count negatively. Per currency and, from each entry's stored reporting amount, in the reporting
    currency; recovery rates are disbursed ÷ awarded and disbursed ÷ claimed (None when dividing by zero).
    """
    case_id = case if isinstance(case, int) else case.pk
    rows = (
        LedgerEntry.objects.filter(case_id=case_id)
        .order_by()
        .values("currency", "reporting_currency", "kind")
        .annotate(net=Sum(_signed("amount_minor")), reporting_net=Sum(_signed("reporting_amount_minor")))
    )
    per_currency: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    in_reporting: dict[str, int] = defaultdict(int)
    reporting_currency = settings.REPORTING_CURRENCY
    complete = True
    for row in rows:
        name = _FIGURE_OF_KIND[row["kind"]]
        per_currency[row["currency"]][name] += row["net"]
        if row["reporting_currency"] == reporting_currency:
            in_reporting[name] += row["reporting_net"]
        elif row["net"]:
            complete = False
    return LedgerTotals(
        by_currency=[Figures(currency, **per_currency[currency]) for currency in sorted(per_currency)],
        reporting=Figures(reporting_currency, **in_reporting),
        complete=complete,
    )


def has_disbursement(case: Case) -> bool:
    """Whether money has been handed to the worker (a disbursement that has not been reversed)."""
    return LedgerEntry.objects.disbursements_to_worker(case).exists()
