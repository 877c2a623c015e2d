"""The money ledger: what was claimed, awarded, paid by the respondent and handed to the worker, per case.

Amounts are integer minor units of an ISO 4217 currency (``cases.money.currencies``), so every sum is an exact integer
sum in SQL on SQLite and PostgreSQL alike. Each entry also stores its amount in the reporting currency
(``settings.REPORTING_CURRENCY``) at the exchange rate of its date, and the rate it used, so reports never depend on
today's rates.

Ledger entries are append-only: a mistake is corrected by a *reversing* entry that points at the one it cancels
(``reverses``) and says why; the original stays. Writes go through ``cases.money.services.ledger`` only.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.core.models import Case, Respondent
from cases.money import currencies
from claimants.models import Claimant


class EntryKind(models.TextChoices):
    CLAIMED = "claimed", _("Claimed")
    AWARDED = "awarded", _("Awarded")
    SETTLED = "settled", _("Settled")
    PAID = "paid_by_respondent", _("Paid by the respondent")
    DISBURSED = "disbursed", _("Disbursed to the worker")
    WRITTEN_OFF = "written_off", _("Written off")


class Route(models.TextChoices):
    """The route the money came through (or was claimed or awarded in)."""

    NEGOTIATION = "negotiation", _("Negotiation / demand letter")
    LABOUR_INSPECTORATE = "labour_inspectorate", _("Labour inspectorate")
    LABOUR_COURT = "labour_court", _("Labour court / dispute committee")
    MEDIATION = "mediation", _("Mediation")
    RECRUITMENT_AGENCY = "recruitment_agency", _("Claim against the recruitment agency")
    GUARANTEE_FUND = "guarantee_fund", _("Guarantee / insurance fund")
    BRAND = "brand", _("Brand")
    OTHER = "other", _("Other")


class ExchangeRate(models.Model):
    """How many units of the reporting currency one unit of ``currency`` was worth on ``date``; admin-maintained.

    An entry uses the latest rate on or before its own date. Rates are to ``settings.REPORTING_CURRENCY``; changing
    that setting needs a new set of rates (entries keep the reporting currency and rate they were converted with).
    """

    date = models.DateField(_("date"))
    currency = models.CharField(_("currency"), max_length=3, choices=currencies.choices)
    rate = models.DecimalField(
        _("rate"),
        max_digits=20,
        decimal_places=10,
        help_text=_("Units of the reporting currency for one unit of this currency."),
    )
    source = models.CharField(_("source"), max_length=200, blank=True, help_text=_("Where the rate comes from."))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["-date", "currency"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "date"], name="exchangerate_one_per_currency_and_date"),
            models.CheckConstraint(condition=models.Q(rate__gt=0), name="exchangerate_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.date} 1 {self.currency} = {self.rate} {settings.REPORTING_CURRENCY}"

    def clean(self) -> None:
        if self.currency == settings.REPORTING_CURRENCY:
            raise ValidationError(
                {"currency": _("This is the reporting currency; its rate is always 1.")}, code="reporting_currency"
            )


class LedgerEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Ledger entries are append-only; record a reversing entry instead.")

    def delete(self):
        raise TypeError("Ledger entries are append-only; record a reversing entry instead.")

    def redact_texts(self) -> int:
        """Blank the entries' notes and correction reasons (free text): the one change to past entries, made by
        anonymisation (cases.retention). Amounts, kinds, dates and links stay, so every total is unchanged."""
        texts = models.Q(note__gt="") | models.Q(reason__gt="")
        return models.QuerySet.update(self.filter(texts), note="", reason="")

    def standing(self) -> "LedgerEntryQuerySet":
        """Entries that count: neither reversals nor reversed."""
        return self.filter(reverses__isnull=True, reversed_by__isnull=True)

    def disbursements_to_worker(self, case) -> "LedgerEntryQuerySet":
        """Money handed to the worker of ``case`` that has not been reversed."""
        return self.filter(case=case, kind=EntryKind.DISBURSED).standing()


class LedgerEntry(models.Model):
    """One movement of money in a case: claimed, awarded/settled, paid by a respondent, disbursed, written off.

    Append-only (like CaseEvent): saving an existing entry, updating or deleting raises. A correction is a new entry
    of the same kind, amount and currency with ``reverses`` set and a ``reason``; totals count it negatively.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="ledger_entries", verbose_name=_("case"))
    claimant = models.ForeignKey(
        Claimant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("worker"),
        help_text=_("The worker this money is for (one of several in a collective claim)."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    amount_minor = models.BigIntegerField(_("amount (minor units)"))
    currency = models.CharField(_("currency"), max_length=3, choices=currencies.choices)
    entry_date = models.DateField(_("date"))
    source = models.CharField(_("route"), max_length=30, choices=Route.choices)
    respondent = models.ForeignKey(
        Respondent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
        verbose_name=_("respondent"),
        help_text=_("Who paid (or was ordered to pay)."),
    )
    note = models.TextField(_("note"), blank=True)
    reporting_currency = models.CharField(_("reporting currency"), max_length=3)
    reporting_amount_minor = models.BigIntegerField(_("amount in the reporting currency (minor units)"))
    exchange_rate = models.DecimalField(_("exchange rate used"), max_digits=20, decimal_places=10)
    rate_date = models.DateField(
        _("date of the rate"), null=True, blank=True, help_text=_("Empty when no conversion was needed.")
    )
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    reason = models.TextField(_("reason for the correction"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["entry_date", "id"]
        indexes = [
            models.Index(fields=["case", "entry_date", "id"], name="ledgerentry_case_date"),
            # The statistics' incremental refresh reads one month's entries.
            models.Index(fields=["entry_date"], include=["case_id"], name="ledgerentry_date"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_minor__gt=0), name="ledgerentry_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(reporting_amount_minor__gte=0), name="ledgerentry_reporting_amount_not_negative"
            ),
            models.CheckConstraint(condition=models.Q(exchange_rate__gt=0), name="ledgerentry_rate_positive"),
            models.CheckConstraint(condition=models.Q(currency__regex=r"^[A-Z]{3}$"), name="ledgerentry_currency_iso"),
            models.CheckConstraint(
                condition=models.Q(reverses__isnull=True) | ~models.Q(reason=""), name="ledgerentry_reversal_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.display_amount}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Ledger entries are append-only; record a reversing entry instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Ledger entries are append-only; record a reversing entry instead.")

    @property
    def amount(self):
        return currencies.from_minor(self.amount_minor, self.currency)

    @property
    def display_amount(self) -> str:
        return currencies.format_money(self.amount_minor, self.currency)

    @property
    def display_reporting_amount(self) -> str:
        return currencies.format_money(self.reporting_amount_minor, self.reporting_currency)

    @property
    def display_rate(self) -> str:
        """The rate used, without trailing zeros or exponent notation: "0.0000412", "3.75"."""
        return format(self.exchange_rate.normalize(), "f")

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None


class InstalmentPlan(models.Model):
    """A respondent's promise to pay in instalments (from a settlement or an order); each instalment is a row."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="instalment_plans", verbose_name=_("case"))
    respondent = models.ForeignKey(
        Respondent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="instalment_plans",
        verbose_name=_("respondent"),
    )
    currency = models.CharField(_("currency"), max_length=3, choices=currencies.choices)
    total_minor = models.BigIntegerField(_("total (minor units)"))
    source = models.CharField(_("route"), max_length=30, choices=Route.choices, default=Route.NEGOTIATION)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("instalment plan")
        verbose_name_plural = _("instalment plans")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(total_minor__gt=0), name="instalmentplan_total_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.display_total}"

    @property
    def display_total(self) -> str:
        return currencies.format_money(self.total_minor, self.currency)


class InstalmentStatus(models.TextChoices):
    DUE = "due", _("Due")
    PAID = "paid", _("Paid")
    MISSED = "missed", _("Missed")


class InstalmentQuerySet(models.QuerySet):
    def unpaid(self) -> "InstalmentQuerySet":
        return self.filter(paid_entry__isnull=True)

    def missed(self, today: date) -> "InstalmentQuerySet":
        """Instalments whose due date has passed (before ``today``) without a payment: each one is a reminder."""
        return self.unpaid().filter(due_date__lt=today)


class Instalment(models.Model):
    plan = models.ForeignKey(
        InstalmentPlan, on_delete=models.PROTECT, related_name="instalments", verbose_name=_("plan")
    )
    due_date = models.DateField(_("due"))
    amount_minor = models.BigIntegerField(_("amount (minor units)"))
    paid_entry = models.OneToOneField(
        LedgerEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="instalment",
        verbose_name=_("paid by"),
        help_text=_("The ledger entry that recorded the payment."),
    )

    objects = InstalmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        ordering = ["due_date", "id"]
        indexes = [
            # The reminder sweep: unpaid instalments by due date.
            models.Index(
                fields=["due_date"], condition=models.Q(paid_entry__isnull=True), name="instalment_unpaid_due"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_minor__gt=0), name="instalment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.due_date}: {self.display_amount}"

    def status(self, today: date) -> str:
        if self.paid_entry_id is not None:
            return InstalmentStatus.PAID
        return InstalmentStatus.MISSED if self.due_date < today else InstalmentStatus.DUE

    @property
    def display_amount(self) -> str:
        return currencies.format_money(self.amount_minor, self.plan.currency)
